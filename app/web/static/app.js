// OpsCopilot pages: keyboard work in the approval inbox, streamed chat replies, live
// proposal status. Plain browser APIs only; every page works without this file, this adds
// speed and live updates.
"use strict";

(function () {
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

  // Single-key shortcuts must never fire while someone is typing.
  function typing(event) {
    const t = event.target;
    return (
      t instanceof HTMLInputElement ||
      t instanceof HTMLTextAreaElement ||
      t instanceof HTMLSelectElement ||
      (t instanceof HTMLElement && t.isContentEditable)
    );
  }

  function plainKey(event) {
    return !event.ctrlKey && !event.metaKey && !event.altKey;
  }

  // ---- shared ----------------------------------------------------------------------------

  function initFilters() {
    $$("form[data-autosubmit]").forEach((form) => {
      form.addEventListener("change", () => form.requestSubmit());
    });
  }

  function initShortcutHelp() {
    const help = $("#shortcuts");
    if (!help) return;
    document.addEventListener("keydown", (e) => {
      if (typing(e)) {
        if (e.key === "Escape") e.target.blur();
        return;
      }
      if (e.key === "?") {
        help.open = !help.open;
        e.preventDefault();
      } else if (e.key === "Escape") {
        help.open = false;
      }
    });
  }

  // ---- inbox list ------------------------------------------------------------------------

  function initQueue() {
    const items = $$("#queue .queue-item");
    if (!items.length) return;
    let index = -1;
    const select = (i) => {
      index = Math.max(0, Math.min(items.length - 1, i));
      items.forEach((el, n) => el.classList.toggle("is-selected", n === index));
      const link = $(".queue-link", items[index]);
      link.focus({ preventScroll: true });
      items[index].scrollIntoView({ block: "nearest" });
    };
    items.forEach((el, n) => {
      $(".queue-link", el).addEventListener("focus", () => {
        index = n;
        items.forEach((other, m) => other.classList.toggle("is-selected", m === n));
      });
    });
    document.addEventListener("keydown", (e) => {
      if (typing(e) || !plainKey(e)) return;
      if (e.key === "j") {
        select(index + 1);
        e.preventDefault();
      } else if (e.key === "k") {
        select(index < 0 ? 0 : index - 1);
        e.preventDefault();
      } else if (e.key === "Enter" && index >= 0 && document.activeElement === document.body) {
        window.location.href = items[index].dataset.href;
      }
    });
  }

  // ---- proposal page ---------------------------------------------------------------------

  function initDecisionForm() {
    const form = $("#decision-form");
    const go = (sel) => {
      const link = $(sel);
      if (link) window.location.href = link.href;
    };
    document.addEventListener("keydown", (e) => {
      if (typing(e) || !plainKey(e)) return;
      if (e.key === "j") go("#next-link");
      else if (e.key === "k") go("#prev-link");
      else if (e.key === "u") go("#back-to-list");
    });
    if (!form) return;

    const radios = $$('input[name="action"]', form);
    const panels = $$(".action-panel", form);
    const reason = $("#reason_code", form);
    const note = $("#note", form);
    const error = $("#form-error", form);

    const show = (action, focus) => {
      panels.forEach((p) => {
        p.hidden = p.dataset.for !== action;
      });
      if (!focus) return;
      const panel = panels.find((p) => p.dataset.for === action);
      const target = panel ? $("input, select, textarea", panel) : reason;
      (target || reason).focus();
    };
    const current = () => (radios.find((r) => r.checked) || {}).value || "";
    show(current(), false);
    radios.forEach((r) => r.addEventListener("change", () => show(r.value, true)));

    document.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && form.contains(document.activeElement)) {
        form.requestSubmit();
        e.preventDefault();
        return;
      }
      if (typing(e) || !plainKey(e)) return;
      const radio = radios.find((r) => r.dataset.key === e.key);
      if (radio) {
        radio.checked = true;
        show(radio.value, true);
        e.preventDefault();
      }
    });

    form.addEventListener("submit", (e) => {
      const action = current();
      let problem = "";
      if (!action) problem = "Choose what to do: accept, edit, override or reject.";
      else if (!reason.value) problem = "Choose a reason code: every decision records why.";
      else if (reason.value === "other" && !note.value.trim())
        problem = "The reason “other” needs a note saying why.";
      else if (action === "override") {
        const choice = $("#choice", form);
        if (choice && !choice.value) problem = "Pick the option to use instead.";
      }
      if (problem) {
        e.preventDefault();
        error.textContent = problem;
        error.hidden = false;
        (action ? reason : radios[0]).focus();
        return;
      }
      error.hidden = true;
      const button = $("#submit-decision", form);
      button.disabled = true;
      button.textContent = "Recording…";
    });
  }

  // ---- chat ------------------------------------------------------------------------------

  const STEP_WORDS = {
    understand: "Reading the request",
    triage: "Routing",
    recommend_staff: "Finding candidates",
    assess_risk: "Checking risk",
    draft_summary: "Drafting",
    submit_proposals: "Queueing proposals",
    respond: "Replying",
  };

  function initChat() {
    const list = $("#messages");
    const composer = $("#composer");
    initSuggestions();
    if (!list) return;
    const threadId = list.dataset.threadId;
    let lastId = Number(list.dataset.lastId || 0);
    let busy = false;

    const scrollDown = () => {
      list.scrollTop = list.scrollHeight;
    };
    scrollDown();

    async function refreshMessages() {
      const res = await fetch(`/chat/${encodeURIComponent(threadId)}/messages?after=${lastId}`, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      if (!res.ok) return;
      const html = await res.text();
      $$(".msg.is-temp", list).forEach((el) => el.remove());
      if (html.trim()) {
        list.insertAdjacentHTML("beforeend", html);
        const empty = $("#chat-empty");
        if (empty) empty.remove();
      }
      lastId = Number(res.headers.get("X-Last-Message-Id") || lastId);
      list.dataset.lastId = String(lastId);
      scrollDown();
      schedulePoll();
    }

    function bubble(role, text, temp) {
      const li = document.createElement("li");
      li.className = `msg msg-${role}` + (temp ? " is-temp" : "");
      const meta = document.createElement("div");
      meta.className = "msg-meta";
      const who = document.createElement("span");
      who.className = "msg-author";
      who.textContent = role === "user" ? "You" : "Copilot";
      meta.appendChild(who);
      const body = document.createElement("div");
      body.className = "msg-body";
      body.textContent = text;
      li.append(meta, body);
      list.appendChild(li);
      const empty = $("#chat-empty");
      if (empty) empty.remove();
      scrollDown();
      return li;
    }

    async function send(text) {
      const textarea = $("#message", composer);
      const button = $("#send", composer);
      // A disabled button while idle means the server has no copilot to answer.
      if (busy || button.disabled || !text.trim()) return;
      busy = true;
      const error = $("#composer-error", composer);
      error.hidden = true;
      textarea.value = "";
      button.disabled = true;
      bubble("user", text, true);
      const reply = bubble("assistant", "", true);
      const body = $(".msg-body", reply);
      body.classList.add("typing");
      body.textContent = "Working on it";
      const steps = document.createElement("div");
      steps.className = "progress";
      steps.setAttribute("aria-label", "Progress");
      reply.appendChild(steps);
      try {
        const res = await fetch(`/v1/chat/threads/${encodeURIComponent(threadId)}/messages`, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
          body: JSON.stringify({ content: text }),
        });
        if (!res.ok || !res.body) {
          const problem = await res.json().catch(() => ({}));
          throw new Error(problem.detail || `The copilot could not answer (HTTP ${res.status}).`);
        }
        await readEvents(res.body, (event, data) => {
          if (event === "node") {
            const chip = document.createElement("span");
            chip.textContent = STEP_WORDS[data.node] || data.node.replace(/_/g, " ");
            steps.appendChild(chip);
          } else if (event === "message") {
            body.classList.remove("typing");
            body.textContent = data.content;
          } else if (event === "error") {
            throw new Error(data.detail || "The copilot run failed.");
          }
          scrollDown();
        });
        await refreshMessages();
      } catch (err) {
        body.classList.remove("typing");
        reply.classList.add("is-error");
        body.textContent = err instanceof Error ? err.message : String(err);
        error.textContent = "Your message may not have been answered; reload to see the conversation.";
        error.hidden = false;
      } finally {
        busy = false;
        button.disabled = false;
        textarea.focus();
      }
    }

    if (composer) {
      const textarea = $("#message", composer);
      composer.addEventListener("submit", (e) => {
        e.preventDefault();
        send(textarea.value);
      });
      textarea.addEventListener("keydown", (e) => {
        if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
          e.preventDefault();
          send(textarea.value);
        }
      });
      $$(".suggestion:not([data-target])").forEach((b) =>
        b.addEventListener("click", () => send(b.dataset.suggestion)),
      );
      if (composer.dataset.autosend) {
        // The first message came with the new thread's address; drop it from the history.
        window.history.replaceState(null, "", window.location.pathname);
        send(textarea.value);
      }
    }

    // Live status of the proposals shown: poll while any is pending and the tab is visible.
    let timer = null;
    function schedulePoll() {
      if (timer === null && $$('.pcard[data-live][data-status="pending"]', list).length) {
        timer = window.setTimeout(poll, 3000);
      }
    }
    // One request for every pending card; the server renders them as they stand now.
    async function poll() {
      timer = null;
      if (document.hidden) {
        schedulePoll();
        return;
      }
      const pending = $$('.pcard[data-live][data-status="pending"]', list);
      const query = new URLSearchParams(pending.map((card) => ["id", card.dataset.proposalId]));
      const res = await fetch(`/chat/${encodeURIComponent(threadId)}/cards?${query}`, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      if (!res.ok) return; // signed out or the thread is gone: stop polling
      const fresh = document.createElement("template");
      fresh.innerHTML = await res.text();
      let changed = false;
      for (const card of pending) {
        const now = $(`.pcard[data-proposal-id="${card.dataset.proposalId}"]`, fresh.content);
        if (!now) {
          card.removeAttribute("data-live"); // no longer visible to this viewer
        } else if (now.dataset.status !== card.dataset.status) {
          card.replaceWith(now);
          changed = true;
        }
      }
      if (changed) await refreshMessages();
      schedulePoll();
    }
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) schedulePoll();
    });
    schedulePoll();
  }

  function initSuggestions() {
    $$(".suggestion[data-target]").forEach((b) =>
      b.addEventListener("click", () => {
        const target = document.getElementById(b.dataset.target);
        target.value = b.dataset.suggestion;
        target.focus();
      }),
    );
  }

  // Server-sent events from a fetch body: "event: x\ndata: {...}\n\n" blocks.
  async function readEvents(stream, onEvent) {
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let event = "message";
        const data = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
        }
        if (data.length) onEvent(event, JSON.parse(data.join("\n")));
      }
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    initFilters();
    initShortcutHelp();
    const page = document.body.dataset.page;
    if (page === "inbox") {
      initQueue();
      initDecisionForm();
    } else if (page === "chat") {
      initChat();
    }
  });
})();
