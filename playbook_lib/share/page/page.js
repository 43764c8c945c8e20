// The participant page: join, then the workshop's drill, one exercise at a time; the server grades and records
// (playbook_lib/participant_page.py). An answer stays on the page until the server says it is saved.
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const joinForm = $("pb-join"), statusBox = $("pb-status"), drill = $("pb-drill"), heading = $("pb-heading");
  const bar = $("pb-bar"), box = $("pb-exercise"), check = $("pb-check"), retry = $("pb-retry");
  const result = $("pb-result"), next = $("pb-next"), summary = $("pb-summary"), live = $("pb-live");
  let S = PB.strings, seat = null, position = 0, total = 0, title = "", current = null, started = 0, answered = false;

  const say = (text) => { live.textContent = ""; window.setTimeout(() => { live.textContent = text; }, 60); };
  const setStatus = (html, alert) => {
    statusBox.innerHTML = html;
    statusBox.setAttribute("role", alert ? "alert" : "status");
  };
  const text = (value) => { const span = document.createElement("span"); span.textContent = value; return span.innerHTML; };
  const alertHtml = (lines) => `<p class="pb-alert"><strong>⚠</strong> ${lines.map(text).join("<br>")}</p>`;

  async function post(path, body, again = true) {
    let response;
    try {
      response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" },
                                     body: JSON.stringify(body), cache: "no-store" });
    } catch (error) {
      const offline = new Error(S["page.offline"]);
      offline.offline = true;
      throw offline;
    }
    let data = {};
    try { data = await response.json(); } catch (error) { data = {}; }
    if (response.status === 401 && data.rejoin && seat && again) {  // the server restarted: join again, then retry
      say(S["page.rejoining"]);
      await join(seat.code, seat.name, false);
      return post(path, { ...body, token: seat.token }, false);
    }
    if (!response.ok) { throw new Error(data.error || S["page.bad-request"] || response.statusText); }
    return data;
  }

  function relabel() {  // in the drill's language; a call is played again rather than answered again
    check.textContent = S["button.check"];
    retry.textContent = current && current.kind === "call" ? S["call.again"] : S["button.retry"];
  }

  async function join(code, name, first) {
    const data = await post("api/join", { code, name, lang: PB.lang });
    seat = { token: data.token, code: data.code, name: data.name };
    try { sessionStorage.setItem("pb-join", JSON.stringify({ code: data.code, name: data.name })); } catch (e) { /* private mode */ }
    S = data.strings;
    // the drill speaks the room's language; the page around it keeps its own
    [drill, statusBox, live].forEach((el) => el.setAttribute("lang", data.html_lang));
    total = data.total;
    title = data.title;
    relabel();
    if (first) {
      setStatus(`<p>✔ ${text(data.joined)}</p><p>${text(data.message)}</p>`, false);
      joinForm.querySelectorAll("input, button").forEach((el) => { el.disabled = true; });
      drill.hidden = false;
      show(data);
      say(data.message);
    }
    return data;
  }

  function form() { return box.querySelector("form.pb-answer"); }

  function answerOf() {
    const f = form();
    if (!f) { return null; }
    const picked = (name) => Array.from(f.querySelectorAll(`input[name="${name}"]:checked`), (input) => input.value);
    switch (f.dataset.shape) {
      case "pick": return picked("pick")[0] ?? null;
      case "picks": return picked("pick").length ? picked("pick") : null;
      case "signal": {
        const step = picked("signal")[0];
        if (step === "not-a-signal") { return { signal: false }; }
        const kind = picked("kind")[0];
        return step === "signal" && kind ? { signal: true, kind } : null;
      }
      case "order": return Array.from(f.querySelectorAll("li[data-id]"), (li) => li.dataset.id);
      case "call": {
        const call = f.pbCall;
        return call && call.done ? { path: call.path.slice(), seconds: call.seconds.slice() } : null;
      }
      case "text": {
        const written = f.querySelector("textarea").value.trim();
        return written ? { text: written, ticked: picked("tick") } : null;
      }
      default: return null;
    }
  }

  function refresh() {
    const f = form();
    if (f && f.dataset.shape === "signal") {
      const two = f.querySelector(".pb-step-two");
      const yes = f.querySelector('input[name="signal"][value="signal"]');
      two.hidden = !(yes && yes.checked);
    }
    check.disabled = answered || answerOf() === null;
  }

  function lock(locked) {
    const f = form();
    if (f) { f.querySelectorAll("input, textarea, button").forEach((el) => { el.disabled = locked; }); }
  }

  // a whole call: the customer's lines one at a time; the reply that ends the call checks it
  function callNode(f, id) {
    f.querySelectorAll(".pb-node").forEach((node) => { node.hidden = true; });
    const node = f.querySelector(`.pb-node[data-node="${CSS.escape(id)}"]`);
    const bubble = node.querySelector(".pb-bubble .playbook-call-line").cloneNode(true);
    f.querySelector(".playbook-call-log").appendChild(bubble);
    node.querySelector(".pb-bubble").hidden = true;
    node.hidden = false;
    return bubble.textContent.trim();
  }

  function startCall(f) {
    f.pbCall = { path: [], seconds: [], done: false, last: performance.now() };
    f.querySelector(".playbook-call-log").innerHTML = "";
    callNode(f, f.dataset.start);
  }

  function reply(f, button) {
    const call = f.pbCall;
    if (!call || call.done || button.disabled) { return; }
    const now = performance.now();
    call.path.push(button.dataset.reply);
    call.seconds.push(Math.round(now - call.last) / 1000);
    call.last = now;
    const line = document.createElement("div");
    line.className = "playbook-call-line playbook-call-rep";
    const who = document.createElement("span");
    who.className = "playbook-call-who";
    who.textContent = f.dataset.you;
    const words = document.createElement("p");
    words.textContent = button.textContent;
    line.append(who, words);
    f.querySelector(".playbook-call-log").appendChild(line);
    if (button.hasAttribute("data-end")) {
      call.done = true;
      f.querySelectorAll(".pb-node").forEach((node) => { node.hidden = true; });
      refresh();
      check.click();
      return;
    }
    say(callNode(f, button.dataset.next));
    const first = f.querySelector(".pb-node:not([hidden]) button.pb-reply");
    if (first) { first.focus(); }
    refresh();
  }

  function move(button) {
    const li = button.closest("li");
    const list = li.parentElement;
    if (button.classList.contains("pb-up") && li.previousElementSibling) {
      list.insertBefore(li, li.previousElementSibling);
    } else if (button.classList.contains("pb-down") && li.nextElementSibling) {
      list.insertBefore(li.nextElementSibling, li);
    }
    button.focus();
    const n = Array.prototype.indexOf.call(list.children, li) + 1;
    say(`${n}. ${li.querySelector(".pb-item").textContent}`);
    refresh();
  }

  function show(data) {
    position = data.position;
    result.innerHTML = "";
    retry.hidden = true;
    answered = false;
    if (data.summary !== undefined) {
      current = null;
      box.innerHTML = "";
      check.hidden = true;
      next.hidden = true;
      bar.max = Math.max(total, 1);
      bar.value = total;
      heading.textContent = `${title} · ${S["drill.done"]}`;
      summary.innerHTML = data.summary;
      say(data.say);
      const h = summary.querySelector("h3");
      if (h) { h.setAttribute("tabindex", "-1"); h.focus(); }
      return;
    }
    current = data.exercise;
    summary.innerHTML = "";
    box.innerHTML = current.html;
    heading.textContent = `${title} · ${current.progress}`;
    bar.max = Math.max(total, 1);
    bar.value = position;
    check.hidden = false;
    next.hidden = true;
    next.disabled = true;
    next.textContent = current.next;
    relabel();
    started = performance.now();
    const f = form();
    if (f) {
      f.addEventListener("change", refresh);
      f.addEventListener("input", refresh);
      f.addEventListener("submit", (event) => event.preventDefault());
      f.addEventListener("click", (event) => {
        const button = event.target.closest("button.pb-up, button.pb-down");
        if (button) { event.preventDefault(); move(button); }
        const said = event.target.closest("button.pb-reply");
        if (said) { event.preventDefault(); reply(f, said); }
      });
      if (f.dataset.shape === "call") { startCall(f); }
    }
    refresh();
  }

  joinForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = joinForm.querySelector("button");
    button.disabled = true;
    try {
      await join(joinForm.elements.code.value, joinForm.elements.name.value, true);
      heading.focus();
    } catch (error) {
      setStatus(alertHtml([error.message]), true);
      button.disabled = false;
      joinForm.elements.code.focus();
    }
  });

  check.addEventListener("click", async () => {
    const answer = answerOf();
    if (answer === null || answered || !current) { return; }
    check.disabled = true;
    const seconds = Math.round(performance.now() - started) / 1000;
    try {
      const data = await post("api/answer", { token: seat.token, exercise: current.id, answer, seconds });
      if (!data.saved) {
        result.innerHTML = alertHtml([data.message, data.kept]);
        say(`${data.message} ${data.kept}`);
        check.disabled = false;
        check.focus();
        return;
      }
      answered = true;
      lock(true);
      result.innerHTML = data.html;
      const feedback = result.querySelector(".playbook-feedback");
      if (feedback) { feedback.setAttribute("tabindex", "-1"); feedback.focus(); }
      say(data.say);
      retry.hidden = false;
      next.hidden = false;
      next.disabled = false;
    } catch (error) {
      const message = error.offline ? S["page.offline-answer"] : error.message;
      result.innerHTML = alertHtml([message]);
      say(message);
      check.disabled = false;
      check.focus();
    }
  });

  retry.addEventListener("click", () => {
    answered = false;
    result.innerHTML = "";
    retry.hidden = true;
    lock(false);
    started = performance.now();
    if (form() && form().dataset.shape === "call") { startCall(form()); }
    refresh();
    const first = form() && form().querySelector("input, textarea, .pb-node:not([hidden]) button.pb-reply");
    if (first) { first.focus(); }
  });

  next.addEventListener("click", async () => {
    next.disabled = true;
    try {
      show(await post("api/exercise", { token: seat.token, position: position + 1 }));
      if (current) { heading.focus(); }
    } catch (error) {
      result.insertAdjacentHTML("beforeend", alertHtml([error.message]));
      next.disabled = false;
    }
  });

  try {  // after a reload, the code and name typed before are filled in
    const kept = JSON.parse(sessionStorage.getItem("pb-join") || "null");
    if (kept) { joinForm.elements.code.value = kept.code; joinForm.elements.name.value = kept.name; }
  } catch (e) { /* nothing kept */ }
})();
