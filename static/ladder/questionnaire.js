// Moves the capability's progress bar as the respondent answers, before saving.
// A question counts as answered when a level is chosen, a value typed, or
// "not applicable" / "don't know" selected — the same rule the server uses.
(function () {
  "use strict";
  var form = document.querySelector("form[data-questionnaire]");
  var bar = document.querySelector("#capability-progress [role=progressbar]");
  var count = document.getElementById("capability-answered");
  if (!form || !bar) {
    return;
  }
  var questions = form.querySelectorAll("fieldset.question");

  function answered(fieldset) {
    var code = fieldset.dataset.question;
    var inputs = fieldset.querySelectorAll("[name='" + code + "'], [name='" + code + "-special']");
    return Array.prototype.some.call(inputs, function (input) {
      if (input.type === "radio") {
        return input.checked;
      }
      return input.value.trim() !== "";
    });
  }

  function update() {
    var done = Array.prototype.filter.call(questions, answered).length;
    // Rounded down, as the server does (progress_percent): 100 % only when all is answered.
    var percent = questions.length ? Math.floor((100 * done) / questions.length) : 0;
    var inner = bar.querySelector(".progress-bar");
    bar.setAttribute("aria-valuenow", String(percent));
    // Widths are classes (.pct-0 … .pct-100 in ladder.css), as the server renders them.
    inner.className = inner.className.replace(/\bpct-\d+\b/, "pct-" + percent);
    inner.textContent = percent + "%";
    inner.classList.toggle("bg-success", percent === 100);
    if (count) {
      count.textContent = String(done);
    }
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  // After a failed save the page shows what was posted, not what is stored: count that.
  update();
})();
