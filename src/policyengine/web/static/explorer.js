// The explorer's address holds only the fields that are set: before htmx sends the form (and pushes
// its address), every empty field is left out.
(function () {
  "use strict";
  document.addEventListener("htmx:configRequest", function (event) {
    var data = event.detail.formData;
    if (data) {
      Array.from(new Set(data.keys())).forEach(function (name) {
        if (data.getAll(name).every(function (value) { return value === ""; })) { data.delete(name); }
      });
      return;
    }
    var params = event.detail.parameters;
    Object.keys(params).forEach(function (name) {
      if (params[name] === "") { delete params[name]; }
    });
  });
}());
