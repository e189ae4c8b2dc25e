// Autosave of the questionnaire (docs/autosave.md): every answer, comment and evidence
// link is sent as it changes (debounced) to the capability's autosave address, with the
// version of the answer the page last saw; the server refuses a change built on an older
// version and says so (a conflict, shown on the question with both answers and a choice).
//
// Unsent changes wait in localStorage ("ladder:autosave:<assessment>:<question>") until
// the server has them: offline, after a failed request, or when the page is left. They
// are sent again when the browser is back online and when any page of the questionnaire
// opens. Leaving with anything unsent asks first; links and forms on the page (sidebar,
// breadcrumb, "Back to overview", "Log out") save first, then go.
//
// Without JavaScript, the page's Save button posts the whole form (the same rule).
(function () {
  "use strict";
  var form = document.querySelector("form[data-questionnaire]");
  var where = /\/assessments\/(\d+)\/capabilities\/([^/]+)\/$/.exec(window.location.pathname);
  if (!form || !where || form.querySelector("[name$='-comment']:disabled, fieldset:disabled")) {
    return;
  }
  var assessment = where[1];
  var capability = decodeURIComponent(where[2]);
  var base = window.location.pathname.slice(0, -(where[2].length + 1));
  var DELAY = 700; // ms after the last keystroke
  var RETRY = [2000, 5000, 10000, 30000];
  var versionsField = form.querySelector("input[name=versions]");
  var versions = {};
  var questions = {}; // code → container element
  var pending = {}; // code → {edit: number} changes not yet acknowledged
  var edits = 0;
  var timer = null;
  var inFlight = null;
  var failures = 0;
  var submitting = false;

  (versionsField ? versionsField.value : "").split(/\s+/).forEach(function (item) {
    var at = item.lastIndexOf(":");
    if (at > 0) {
      versions[item.slice(0, at)] = parseInt(item.slice(at + 1), 10) || 0;
    }
  });
  Array.prototype.forEach.call(form.querySelectorAll("[data-question]"), function (box) {
    questions[box.dataset.question] = box;
  });

  function key(code) {
    return "ladder:autosave:" + assessment + ":" + code;
  }

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  function field(name) {
    return form.querySelector("[name='" + name.replace(/'/g, "\\'") + "']");
  }

  // The question's answer as autosave sends it: a level, a value, "na", "dk" or "".
  function read(code) {
    var special = field(code + "-special");
    var checked = form.querySelector("[name='" + code + "']:checked");
    var answer = "";
    if (special && special.value) {
      answer = special.value;
    } else if (checked) {
      answer = checked.value;
    } else {
      var input = field(code);
      if (input && input.type !== "radio") {
        answer = input.value.trim();
      }
    }
    var comment = field(code + "-comment");
    var evidence = field(code + "-evidence");
    return {
      answer: answer,
      comment: comment ? comment.value : "",
      evidence: evidence ? evidence.value.trim() : "",
    };
  }

  function write(code, value) {
    var special = field(code + "-special");
    var radios = form.querySelectorAll("[name='" + code + "'][type=radio]");
    if (radios.length) {
      Array.prototype.forEach.call(radios, function (radio) {
        radio.checked = radio.value === value.answer;
      });
    } else {
      var isSpecial = value.answer === "na" || value.answer === "dk";
      if (special) {
        special.value = isSpecial ? value.answer : "";
      }
      if (field(code)) {
        field(code).value = isSpecial ? "" : value.answer;
      }
    }
    if (field(code + "-comment")) {
      field(code + "-comment").value = value.comment || "";
    }
    var notes = field(code + "-comment") && field(code + "-comment").closest("details");
    if (notes && (value.comment || value.evidence)) {
      notes.open = true; // a comment or link put back is shown, as the page shows one stored
    }
    if (field(code + "-evidence")) {
      field(code + "-evidence").value = value.evidence || "";
    }
    form.dispatchEvent(new Event("change")); // the progress bar (questionnaire.js)
  }

  function remember(code, value) {
    var store = storage();
    if (store) {
      value.capability = capability;
      value.version = versions[code] || 0;
      store.setItem(key(code), JSON.stringify(value));
    }
  }

  function forget(code) {
    var store = storage();
    if (store) {
      store.removeItem(key(code));
    }
  }

  // --- what the person sees ---------------------------------------------------------

  // The page's state: where the template keeps a place for it, else above the questions.
  var pageState = form.querySelector("[data-page-save-state]");
  if (!pageState) {
    pageState = document.createElement("div");
    form.insertBefore(pageState, form.firstChild);
  }
  pageState.id = "autosave-state";
  pageState.classList.add("autosave-state", "small");
  pageState.setAttribute("role", "status");
  pageState.setAttribute("aria-live", "polite");

  function stateOf(code) {
    var box = questions[code];
    if (!box) {
      return null;
    }
    var state = box.querySelector("[data-autosave-state], [data-save-state]");
    if (state) {
      state.setAttribute("data-autosave-state", "");
      state.classList.add("autosave-state");
    } else {
      state = document.createElement("div");
      state.className = "autosave-state small";
      state.setAttribute("data-autosave-state", "");
      state.setAttribute("aria-live", "polite");
      (box.querySelector(".card-body") || box).appendChild(state);
    }
    return state;
  }

  function show(element, text, kind) {
    if (!element) {
      return;
    }
    element.textContent = text;
    element.dataset.state = kind;
  }

  function showPage(text, kind) {
    show(pageState, text, kind);
  }

  var OFFLINE = "Offline: your answers are kept in this browser and sent when you are back";

  // --- sending ----------------------------------------------------------------------

  function changed(event) {
    var box = event.target.closest("[data-question]");
    if (!box || submitting) {
      return;
    }
    var code = box.dataset.question;
    edits += 1;
    pending[code] = { edit: edits };
    remember(code, read(code));
    show(stateOf(code), "Not saved yet", "dirty");
    schedule(DELAY);
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(flush, delay);
  }

  function unsent() {
    return Object.keys(pending).length > 0;
  }

  // Sends every pending change; resolves true when the server has all of them.
  function flush() {
    window.clearTimeout(timer);
    if (inFlight) {
      return inFlight.then(function () {
        return unsent() ? flush() : true;
      });
    }
    if (!unsent()) {
      return Promise.resolve(true);
    }
    if (navigator.onLine === false) {
      offline();
      return Promise.resolve(false);
    }
    var sent = {};
    var body = {};
    Object.keys(pending).forEach(function (code) {
      var value = read(code);
      value.version = versions[code] || 0;
      body[code] = value;
      sent[code] = pending[code].edit;
      show(stateOf(code), "Saving…", "saving");
    });
    showPage("Saving…", "saving");
    inFlight = post(base + encodeURIComponent(capability) + "/autosave/", body)
      .then(function (reply) {
        inFlight = null;
        failures = 0;
        handle(reply, sent);
        return !unsent();
      })
      .catch(function (problem) {
        inFlight = null;
        failed(problem);
        return false;
      });
    return inFlight;
  }

  function post(url, answers) {
    var token = form.querySelector("[name=csrfmiddlewaretoken]");
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": token ? token.value : "",
      },
      body: JSON.stringify({ answers: answers }),
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (response.redirected || !json) {
        throw { status: response.status, message: "Your session has ended: log in again." };
      }
      return response.json().then(function (reply) {
        if (!response.ok) {
          throw { status: response.status, message: reply.error || "" };
        }
        return reply;
      });
    });
  }

  function handle(reply, sent) {
    var at = "";
    Object.keys(reply.saved || {}).forEach(function (code) {
      var saved = reply.saved[code];
      versions[code] = saved.version;
      at = saved.at_text;
      if (pending[code] && pending[code].edit === sent[code]) {
        delete pending[code];
        forget(code);
        show(stateOf(code), "Saved " + saved.at_text, "saved");
      }
    });
    (reply.conflicts || []).forEach(function (conflict) {
      delete pending[conflict.code];
      conflictShown(conflict);
    });
    Object.keys(reply.errors || {}).forEach(function (code) {
      delete pending[code];
      forget(code);
      show(stateOf(code), "Not saved: " + reply.errors[code].join(" "), "error");
    });
    syncVersions();
    if (reply.conflicts && reply.conflicts.length) {
      showPage("Some answers changed elsewhere: choose on each question marked below.", "conflict");
    } else if (Object.keys(reply.errors || {}).length) {
      showPage("Some answers were not saved: correct the questions marked below.", "error");
    } else if (unsent()) {
      schedule(DELAY);
    } else {
      showPage("All answers saved" + (at ? " " + at : ""), "saved");
    }
  }

  function failed(problem) {
    if (navigator.onLine === false || !problem || problem.status === undefined) {
      if (navigator.onLine === false) {
        offline();
        return;
      }
    }
    if (problem && problem.status === 409) {
      showPage("Not saved: " + problem.message, "error");
      return;
    }
    var wait = RETRY[Math.min(failures, RETRY.length - 1)];
    failures += 1;
    Object.keys(pending).forEach(function (code) {
      show(stateOf(code), "Not saved — retrying", "retrying");
    });
    showPage(
      "Not saved — retrying" + (problem && problem.message ? " (" + problem.message + ")" : ""),
      "retrying"
    );
    schedule(wait);
  }

  function offline() {
    Object.keys(pending).forEach(function (code) {
      show(stateOf(code), "Offline: kept in this browser", "offline");
    });
    showPage(OFFLINE, "offline");
  }

  function syncVersions() {
    if (!versionsField) {
      return;
    }
    versionsField.value = Object.keys(versions)
      .map(function (code) {
        return code + ":" + versions[code];
      })
      .join(" ");
  }

  // --- conflicts --------------------------------------------------------------------

  function label(answer) {
    if (answer === null || answer === "") {
      return "no answer";
    }
    return { na: "not applicable", dk: "don't know" }[answer] || answer;
  }

  function conflictShown(conflict) {
    var code = conflict.code;
    var box = questions[code];
    if (!box) {
      return;
    }
    var mine = read(code);
    var old = box.querySelector("[data-conflict]");
    if (old) {
      old.remove();
    }
    var panel = document.createElement("div");
    panel.className = "alert alert-warning autosave-conflict";
    panel.setAttribute("role", "alert");
    panel.setAttribute("data-conflict", code);
    var text = document.createElement("p");
    text.className = "mb-2";
    text.textContent =
      "Not saved: this answer changed elsewhere after you opened the page. Newer answer: " +
      label(conflict.answer) +
      (conflict.comment ? " (“" + conflict.comment + "”)" : "") +
      ", set by " +
      conflict.who +
      (conflict.at_text ? " at " + conflict.at_text : "") +
      ". Yours: " +
      label(mine.answer) +
      (mine.comment ? " (“" + mine.comment + "”)" : "") +
      ".";
    var keep = document.createElement("button");
    keep.type = "button";
    keep.className = "btn btn-sm btn-warning me-2";
    keep.textContent = "Keep mine";
    keep.setAttribute("data-conflict-keep", "");
    var take = document.createElement("button");
    take.type = "button";
    take.className = "btn btn-sm btn-outline-secondary";
    take.textContent = "Take the newer";
    take.setAttribute("data-conflict-take", "");
    keep.addEventListener("click", function () {
      versions[code] = conflict.version;
      panel.remove();
      edits += 1;
      pending[code] = { edit: edits };
      remember(code, read(code));
      flush();
    });
    take.addEventListener("click", function () {
      versions[code] = conflict.version;
      panel.remove();
      forget(code);
      write(code, { answer: conflict.answer || "", comment: conflict.comment, evidence: conflict.evidence });
      syncVersions();
      show(stateOf(code), "Newer answer taken", "saved");
    });
    panel.appendChild(text);
    panel.appendChild(keep);
    panel.appendChild(take);
    (box.querySelector(".card-body") || box).insertBefore(
      panel,
      (box.querySelector(".card-body") || box).firstChild
    );
    show(stateOf(code), "Not saved: changed elsewhere — choose above", "conflict");
  }

  // --- changes kept in this browser -------------------------------------------------

  // On opening: this page's kept changes go back into their fields and are sent; those
  // of the assessment's other capabilities are sent to their own pages' addresses.
  function restore() {
    var store = storage();
    if (!store) {
      return;
    }
    var prefix = "ladder:autosave:" + assessment + ":";
    var elsewhere = {};
    for (var i = store.length - 1; i >= 0; i -= 1) {
      var name = store.key(i);
      if (!name || name.indexOf(prefix) !== 0) {
        continue;
      }
      var code = name.slice(prefix.length);
      var kept;
      try {
        kept = JSON.parse(store.getItem(name));
      } catch (error) {
        store.removeItem(name);
        continue;
      }
      if (questions[code]) {
        versions[code] = kept.version;
        write(code, kept);
        edits += 1;
        pending[code] = { edit: edits };
        show(stateOf(code), "Not saved yet (kept in this browser)", "dirty");
      } else if (kept.capability) {
        (elsewhere[kept.capability] = elsewhere[kept.capability] || {})[code] = kept;
      }
    }
    Object.keys(elsewhere).forEach(function (other) {
      post(base + encodeURIComponent(other) + "/autosave/", elsewhere[other])
        .then(function (reply) {
          Object.keys(reply.saved || {}).concat(Object.keys(reply.errors || {})).forEach(forget);
          // A conflict elsewhere is left kept: its page shows it when opened.
        })
        .catch(function () {});
    });
    syncVersions();
    if (unsent()) {
      flush();
    }
  }

  // --- leaving ----------------------------------------------------------------------

  function leaving(go) {
    if (!unsent() && !inFlight) {
      go();
      return;
    }
    showPage("Saving before leaving…", "saving");
    flush().then(function (done) {
      if (done) {
        go();
      }
    });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (
      !link ||
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey ||
      link.target ||
      link.origin !== window.location.origin ||
      link.getAttribute("href").charAt(0) === "#"
    ) {
      return;
    }
    if (unsent() || inFlight) {
      event.preventDefault();
      leaving(function () {
        window.location.href = link.href;
      });
    }
  });

  // Other forms of the page (log out): save first, then submit.
  document.addEventListener("submit", function (event) {
    var other = event.target;
    if (other === form) {
      // The Save button posts everything with the versions autosave last got.
      submitting = true;
      window.clearTimeout(timer);
      syncVersions();
      Object.keys(questions).forEach(forget);
      pending = {};
      return;
    }
    if (unsent() || inFlight) {
      event.preventDefault();
      leaving(function () {
        HTMLFormElement.prototype.submit.call(other);
      });
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (!submitting && (unsent() || inFlight)) {
      flush();
      event.preventDefault();
      event.returnValue = "";
      return "";
    }
  });

  window.addEventListener("online", function () {
    showPage("Back online: sending…", "saving");
    failures = 0;
    restore();
    flush();
  });
  window.addEventListener("offline", function () {
    if (unsent()) {
      offline();
    }
  });

  form.addEventListener("input", changed);
  form.addEventListener("change", function (event) {
    if (event.isTrusted) {
      changed(event);
    }
  });
  restore();
})();
