(function () {
  "use strict";
  var details = JSON.parse(document.getElementById("details").textContent);
  var panel = document.getElementById("detail");
  function add(parent, tag, text, cls) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (cls) { node.className = cls; }
    parent.appendChild(node);
    return node;
  }
  function show(td) {
    var d = details.cells[td.getAttribute("data-key")];
    if (!d) { return; }
    document.querySelectorAll("td.selected").forEach(function (n) { n.classList.remove("selected"); });
    td.classList.add("selected");
    panel.textContent = "";
    var scenario = td.parentNode.getAttribute("data-scenario");
    add(panel, "h3", d.policy + ": " + d.words, "v-" + d.verdict);
    add(panel, "p", scenario, "muted");
    d.explanation.forEach(function (line) { add(panel, "p", line, "explanation"); });
    if (!d.provisions.length) { add(panel, "p", "No provision of this instrument applies.", "muted"); }
    d.provisions.forEach(function (ref) {
      var p = details.provisions[ref[0]];
      var box = add(panel, "div", "", "provision");
      add(box, "strong", p.rule + (p.title ? " \u2014 " + p.title : ""), "rule");
      if (ref[1]) { add(box, "span", " (decides)", "muted"); }
      add(box, "blockquote", p.quoted, "quote");
      add(box, "div", "source " + p.source + " [" + p.evidence + "]", "source muted");
      if (p.href) {
        var link = add(box, "a", p.url, "url");
        link.href = p.href;
        link.rel = "noreferrer";
      } else if (p.url) {
        add(box, "span", p.url, "url");
      }
      if (p.note) { add(box, "div", p.note, "note muted"); }
    });
  }
  document.getElementById("matrix-table").addEventListener("click", function (event) {
    var td = event.target.closest("td.cell");
    if (td) { show(td); }
  });
  document.getElementById("matrix-table").addEventListener("keydown", function (event) {
    if ((event.key === "Enter" || event.key === " ") && event.target.matches("td.cell")) {
      event.preventDefault();
      show(event.target);
    }
  });
}());
