/*
 * Under each text box with a length limit (data-max-length), how many characters are left, said to screen
 * readers once typing pauses. Without JavaScript the hint already gives the limit. The wording
 * comes from the field's form group (data-count-one for 1 character left, data-count-other for any
 * other number, "{count}" standing for the number), in the page's language; the English below is
 * only a fallback.
 */
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en-GB";

  function number(n) {
    try {
      return n.toLocaleString(lang);
    } catch (error) {
      return n.toLocaleString("en-GB");
    }
  }

  document.querySelectorAll("[data-max-length]").forEach(function (field) {
    var limit = parseInt(field.getAttribute("data-max-length"), 10);
    if (!limit) return;
    var group = field.closest("[data-count-other]");
    var one = (group && group.getAttribute("data-count-one")) ||
      "You have {count} character remaining";
    var other = (group && group.getAttribute("data-count-other")) ||
      "You have {count} characters remaining";
    var count = document.createElement("p");
    count.className = "character-count";
    count.id = field.id + "-count";
    count.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", count);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + count.id);
    var timer;
    function update() {
      var left = limit - field.value.length;
      count.textContent = (left === 1 ? one : other).replace("{count}", function () {
        return number(left);
      });
    }
    update();
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 400);
    });
  });
})();
