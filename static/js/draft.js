/*
 * Keeps what is typed in a form with data-draft="name" in this browser's local storage, so a
 * failed submission (a lost connection, the site briefly unavailable) loses nothing. When the
 * form is shown again with a saved draft, the page offers to restore or discard it. A page
 * holding an element with data-draft-clear="name" (the "received" page) removes the draft.
 * Nothing is sent anywhere: the draft never leaves the browser. The offer's wording comes from the
 * form's data-offer-label, data-offer-text, data-offer-restore and data-offer-discard attributes,
 * in the page's language; the English below is only a fallback.
 */
(function () {
  "use strict";

  var PREFIX = "failshare:draft:";
  var store;
  try {
    store = window.localStorage;
    store.setItem(PREFIX + "probe", "1");
    store.removeItem(PREFIX + "probe");
  } catch (error) {
    return;
  }

  document.querySelectorAll("[data-draft-clear]").forEach(function (element) {
    store.removeItem(PREFIX + element.getAttribute("data-draft-clear"));
  });

  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && !field.disabled &&
        ["hidden", "password", "submit", "button", "file"].indexOf(field.type) === -1 &&
        !field.closest("[data-draft-ignore]");
    });
  }

  function read(form) {
    var data = {};
    draftFields(form).forEach(function (field) {
      if (field.type === "checkbox" || field.type === "radio") {
        data[field.name] = data[field.name] || [];
        if (field.checked) data[field.name].push(field.value);
      } else {
        data[field.name] = field.value;
      }
    });
    return data;
  }

  function write(form, data) {
    draftFields(form).forEach(function (field) {
      if (!(field.name in data)) return;
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = data[field.name].indexOf(field.value) !== -1;
      } else {
        field.value = data[field.name];
      }
    });
  }

  function hasText(data) {
    return Object.keys(data).some(function (name) {
      return typeof data[name] === "string" && data[name].trim() !== "";
    });
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function offer(form, key, saved) {
    function wording(name, fallback) {
      return form.getAttribute(name) || fallback;
    }
    var box = document.createElement("div");
    box.className = "notification draft-offer";
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", wording("data-offer-label", "Saved draft"));
    var text = document.createElement("p");
    text.textContent = wording("data-offer-text",
      "This browser kept a draft of what you were writing here. Do you want to restore it?");
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button";
    restore.textContent = wording("data-offer-restore", "Restore my draft");
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button button--secondary";
    discard.textContent = wording("data-offer-discard", "Discard the draft");
    box.appendChild(text);
    box.appendChild(restore);
    box.appendChild(discard);
    form.parentNode.insertBefore(box, form);

    restore.addEventListener("click", function () {
      write(form, saved);
      box.remove();
      var first = draftFields(form)[0];
      if (first) first.focus();
    });
    discard.addEventListener("click", function () {
      store.removeItem(key);
      box.remove();
    });
  }

  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    var key = PREFIX + form.getAttribute("data-draft");
    var saved = null;
    try {
      saved = JSON.parse(store.getItem(key) || "null");
    } catch (error) {
      store.removeItem(key);
    }
    if (saved && hasText(saved) && !same(saved, read(form))) {
      offer(form, key, saved);
    }

    var timer = null;
    function saveNow() {
      window.clearTimeout(timer);
      var data = read(form);
      if (hasText(data)) {
        try {
          store.setItem(key, JSON.stringify(data));
        } catch (error) {
          /* storage full or refused: nothing to do, the server still gets the form */
        }
      }
    }
    function save() {
      window.clearTimeout(timer);
      timer = window.setTimeout(saveNow, 300);
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    // Sent or left within the pause after the last keystroke: keep that last change too.
    form.addEventListener("submit", saveNow);
    window.addEventListener("pagehide", saveNow);
  });
})();
