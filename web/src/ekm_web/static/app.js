// Progressive enhancement only: every page works without this file.
// Loaded from /static (CSP: script-src 'self'; no inline scripts anywhere).
document.addEventListener("DOMContentLoaded", function () {
  // Put the keyboard focus on the first field with an error, or on the error summary.
  var summary = document.querySelector("[data-error-summary]");
  var firstInvalid = document.querySelector("[aria-invalid='true']");
  if (firstInvalid) { firstInvalid.focus(); }
  else if (summary) { summary.focus(); }
  // Rows added to repeatable tables (family, goals, steps): clone the template row.
  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function () {
      var table = document.getElementById(button.getAttribute("data-add-row"));
      var template = table && table.querySelector("template");
      if (!template) { return; }
      var body = table.querySelector("tbody");
      var index = body.querySelectorAll("tr").length;
      var html = template.innerHTML.replace(/__i__/g, String(index));
      body.insertAdjacentHTML("beforeend", html);
      var first = body.lastElementChild && body.lastElementChild.querySelector("input, select, textarea");
      if (first) { first.focus(); }
    });
  });
});
