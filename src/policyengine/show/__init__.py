"""How results show themselves: reprs, notebook HTML, rich renderables, terminal width and progress."""
