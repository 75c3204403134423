// An error summary's link moves focus to its field with the field's label (or its group's
// legend) and hint in view, rather than the input at the top edge of the window.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
  if (!link) return;
  var input = document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!input) return;
  var fieldset = input.closest("fieldset");
  var legend = fieldset && fieldset.querySelector("legend");
  var label = legend || document.querySelector("label[for='" + CSS.escape(input.id) + "']");
  event.preventDefault();
  (label || input).scrollIntoView();
  input.focus({ preventScroll: true });
  if (history.replaceState) history.replaceState(null, "", link.hash);
});
