/*
 * The page that shows a receipt code offers to print it or save it as a text file, kept in
 * this browser alone: the file is made here, nothing is sent. Without JavaScript the page
 * says to write the code down or print the page from the browser's menu. The wording comes from
 * the data-* attributes of the element holding the buttons ("{code}" and "{url}" standing for the
 * receipt code and the address), in the page's language; the English below is only a fallback.
 */
(function () {
  "use strict";
  var actions = document.querySelector("[data-receipt-actions]");
  var code = document.getElementById("receipt-code");
  if (!actions || !code) return;

  function wording(name, fallback) {
    return actions.getAttribute(name) || fallback;
  }

  function fill(text, placeholder, value) {
    return text.replace(placeholder, function () { return value; });
  }

  function button(text, onPress) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "button button--secondary";
    element.textContent = text;
    element.addEventListener("click", onPress);
    actions.appendChild(element);
  }

  button(wording("data-print-label", "Print this page"), function () { window.print(); });
  button(wording("data-save-label", "Save the code as a file"), function () {
    var text =
      fill(wording("data-file-code", "Your receipt code: {code}"), "{code}", code.textContent.trim()) +
      "\n" +
      fill(wording("data-file-check", "Check your story at {url}"), "{url}",
        actions.getAttribute("data-receipt-url")) +
      "\n";
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    link.download = wording("data-file-name", "receipt-code.txt");
    document.body.appendChild(link);
    link.click();
    link.remove();
  });
  actions.hidden = false;
})();
