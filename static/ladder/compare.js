// The compare form sends units in the order chosen: the reference first, then the others
// in the order they were ticked (checkboxes alone would post them in page order). Without
// this script the reference select still puts the chosen reference first.
(function () {
  "use strict";
  var fieldset = document.querySelector("[data-compare-order]");
  if (!fieldset) {
    return;
  }
  var form = fieldset.closest("form");
  var reference = form.querySelector("[data-compare-reference]");
  var order = (fieldset.dataset.compareOrder || "").split(",").filter(Boolean);
  fieldset.addEventListener("change", function (event) {
    var box = event.target;
    if (box.name !== "units") {
      return;
    }
    order = order.filter(function (slug) { return slug !== box.value; });
    if (box.checked) {
      order.push(box.value);
    }
  });
  form.addEventListener("submit", function () {
    var ticked = Array.prototype.map.call(
      fieldset.querySelectorAll("input[name=units]:checked"),
      function (box) { return box.value; }
    );
    var chosen = order.filter(function (slug) { return ticked.indexOf(slug) !== -1; });
    ticked.forEach(function (slug) {
      if (chosen.indexOf(slug) === -1) {
        chosen.push(slug);
      }
    });
    if (reference && reference.value) {
      chosen = [reference.value].concat(chosen.filter(function (s) { return s !== reference.value; }));
      reference.disabled = true; // sent in `units`, first
    }
    fieldset.querySelectorAll("input[name=units]").forEach(function (box) { box.disabled = true; });
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = "units";
    hidden.value = chosen.join(",");
    form.appendChild(hidden);
  });
})();
