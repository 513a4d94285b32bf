// The playground's chat page: one persona's private chat with the bot, drawn like Telegram.
// Everything the bot sent is drawn from its text and entities with DOM nodes (textContent),
// never as HTML, so nothing in a message can run in the page.
"use strict";

(() => {
  const HEADERS = { "X-Nianbao-Playground": "1" };
  const URL_OR_COMMAND =
    /(https?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+)|((?<![A-Za-z0-9_/])\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_/]))/g;
  const state = {
    info: null,
    persona: null,
    instance: "",
    cursor: 0,
    seq: 0, // events applied, numbered: data-seq on each drawn message
    first: true,
    messages: new Map(), // message id -> element
  };
  const $ = (id) => document.getElementById(id);

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function call(method, path, body) {
    const options = { method, headers: { ...HEADERS } };
    if (body instanceof FormData) {
      options.body = body;
    } else if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    let data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = null;
    }
    if (!response.ok) {
      throw new Error((data && data.error) || `请求失败（${response.status}）`);
    }
    return data;
  }

  // ---------------------------------------------------------------- toasts and the banner

  let toastTimer = 0;
  function toast(text) {
    const box = $("toast");
    box.textContent = text;
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { box.hidden = true; }, 3000);
  }

  function alertBox(text) {
    $("alert-text").textContent = text;
    $("alert").hidden = false;
  }

  function online(ok) {
    $("banner").classList.toggle("offline", !ok);
    $("banner-detail").textContent = ok
      ? " · 未连接 Telegram，数据只保存在本机"
      : " · 与试用服务的连接已断开，正在重试…";
  }

  // ---------------------------------------------------------------- actions

  async function send(text, persona) {
    try {
      await call("POST", "/api/send", { persona: persona || state.persona.key, text });
      return true;
    } catch (error) {
      toast(error.message);
      return false;
    }
  }

  async function press(messageId, data, button) {
    button.classList.add("pending");
    try {
      await call("POST", "/api/press", {
        persona: state.persona.key, message_id: messageId, data,
      });
    } catch (error) {
      toast(error.message);
    } finally {
      button.classList.remove("pending");
    }
  }

  async function upload(file) {
    if (file.size > state.info.max_upload_mb * 1024 * 1024) {
      toast(`文件超过 ${state.info.max_upload_mb} MB，试用页面不能发送这么大的文件。`);
      return;
    }
    const form = new FormData();
    form.append("persona", state.persona.key);
    form.append("file", file, file.name);
    try {
      await call("POST", "/api/upload", form);
    } catch (error) {
      toast(error.message);
    }
  }

  // ---------------------------------------------------------------- links

  // The code of an invitation link to this bot (https://t.me/<bot>?start=CODE), or null.
  function startCode(href) {
    let url;
    try {
      url = new URL(href);
    } catch (error) {
      return null;
    }
    const bot = state.info.bot.username.toLowerCase();
    let name = "";
    if (url.protocol === "tg:") {
      name = url.searchParams.get("domain") || "";
    } else if (/^https?:$/.test(url.protocol) && /^(www\.)?(t|telegram)\.me$/.test(url.hostname)) {
      name = url.pathname.replace(/^\//, "");
    }
    const code = url.searchParams.get("start");
    if (name.toLowerCase() !== bot || !code || !/^[A-Za-z0-9_-]{1,64}$/.test(code)) return null;
    return code;
  }

  function link(href, child) {
    const code = startCode(href);
    if (code) {
      const a = el("a");
      a.href = href;
      a.title = `以${state.persona.label}的身份打开（发送 /start ${code}）`;
      a.addEventListener("click", (event) => {
        event.preventDefault();
        send(`/start ${code}`);
      });
      a.append(child);
      return a;
    }
    if (/^https?:\/\//i.test(href)) {
      const a = el("a");
      a.href = href;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.append(child);
      return a;
    }
    const span = el("span");
    span.append(child);
    return span;
  }

  function command(name) {
    const a = el("a", "command", name);
    a.href = "#";
    a.addEventListener("click", (event) => {
      event.preventDefault();
      send(name);
    });
    return a;
  }

  // Plain text with its web addresses and /commands made clickable, as Telegram does.
  function linkify(text) {
    const fragment = document.createDocumentFragment();
    let at = 0;
    for (const match of text.matchAll(URL_OR_COMMAND)) {
      let token = match[0];
      if (match[1]) token = token.replace(/[.,;:!?)'\]]+$/, "");
      fragment.append(text.slice(at, match.index));
      fragment.append(match[1] ? link(token, document.createTextNode(token)) : command(token));
      at = match.index + token.length;
    }
    fragment.append(text.slice(at));
    return fragment;
  }

  // ---------------------------------------------------------------- message text

  function wrap(entity, child) {
    let node;
    switch (entity.type) {
      case "bold": node = el("strong"); break;
      case "italic": node = el("em"); break;
      case "underline": node = el("u"); break;
      case "strikethrough": node = el("s"); break;
      case "code": node = el("code"); break;
      case "blockquote":
      case "expandable_blockquote": node = el("blockquote"); break;
      case "spoiler":
        node = el("span", "spoiler");
        node.addEventListener("click", () => node.classList.add("shown"));
        break;
      case "pre": {
        node = el("pre");
        const code = el("code");
        code.append(child);
        node.append(code);
        return node;
      }
      case "text_link": return link(entity.url || "", child);
      case "url": return link(child.textContent || "", child);
      case "bot_command": return command(child.textContent || "");
      default: node = el("span");
    }
    node.append(child);
    return node;
  }

  // Telegram's text and entities (offsets in UTF-16 units, like JavaScript strings) as nodes.
  function drawText(container, text, entities) {
    const cuts = new Set([0, text.length]);
    for (const e of entities) {
      cuts.add(Math.min(Math.max(e.offset, 0), text.length));
      cuts.add(Math.min(Math.max(e.offset + e.length, 0), text.length));
    }
    const points = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i + 1 < points.length; i += 1) {
      const [start, end] = [points[i], points[i + 1]];
      const covering = entities
        .filter((e) => e.offset <= start && e.offset + e.length >= end)
        .sort((a, b) => a.offset - b.offset || b.length - a.length);
      const plain = !covering.some((e) => ["code", "pre", "text_link", "url", "bot_command"].includes(e.type));
      const segment = text.slice(start, end);
      let node = plain ? linkify(segment) : document.createTextNode(segment);
      for (const entity of covering.reverse()) node = wrap(entity, node);
      container.append(node);
    }
  }

  // Every invitation code a message carries, in its text or its links.
  function startCodes(view) {
    const codes = new Set();
    const text = view.text || "";
    for (const match of text.matchAll(URL_OR_COMMAND)) {
      const code = match[1] && startCode(match[1].replace(/[.,;:!?)'\]]+$/, ""));
      if (code) codes.add(code);
    }
    for (const entity of view.entities || []) {
      const code = entity.type === "text_link" && startCode(entity.url || "");
      if (code) codes.add(code);
    }
    return [...codes];
  }

  // ---------------------------------------------------------------- messages

  function clock(date) {
    const d = new Date(date * 1000);
    return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
  }

  function size(bytes) {
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }

  function drawDocument(doc) {
    const box = el("div", "doc");
    const href = `/api/files/${encodeURIComponent(doc.file_id)}`;
    const icon = el("a", "doc-icon", "⬇");
    icon.href = href;
    icon.download = doc.name;
    icon.setAttribute("aria-hidden", "true");
    icon.tabIndex = -1;
    const about = el("div");
    const name = el("a", "doc-name", doc.name);
    name.href = href;
    name.download = doc.name;
    about.append(name, el("div", "doc-size", `${size(doc.size)} · 点击下载`));
    box.append(icon, about);
    return box;
  }

  function drawKeyboard(view) {
    const keyboard = el("div", "keyboard");
    for (const row of view.buttons) {
      const line = el("div", "row");
      for (const b of row) {
        const button = el("button", "", b.text);
        button.type = "button";
        if (b.kind === "callback") {
          button.addEventListener("click", () => press(view.id, b.data, button));
        } else if (b.kind === "text") {
          button.addEventListener("click", () => send(b.text));
        } else if (b.kind === "url") {
          const code = startCode(b.url);
          button.addEventListener("click", () => {
            if (code) send(`/start ${code}`);
            else if (/^https?:\/\//i.test(b.url)) window.open(b.url, "_blank", "noopener");
          });
        } else {
          button.disabled = true;
          button.title = "试用页面不支持这种按钮";
        }
        line.append(button);
      }
      keyboard.append(line);
    }
    return keyboard;
  }

  function drawOthers(codes) {
    const box = el("div", "deeplink", "用其他身份打开这个邀请链接：");
    for (const code of codes) {
      for (const persona of state.info.personas) {
        if (persona.key === state.persona.key) continue;
        const button = el("button", "", `用${persona.label}打开`);
        button.type = "button";
        button.dataset.persona = persona.key;
        button.addEventListener("click", () => {
          // Open (or bring up) that persona's tab first: browsers allow it only on a click.
          window.open(`/?persona=${encodeURIComponent(persona.key)}`, `nianbao-${persona.key}`);
          send(`/start ${code}`, persona.key);
        });
        box.append(button);
      }
    }
    return box;
  }

  function drawMessage(view) {
    const wrapper = el("div", `msg ${view.from === "bot" ? "bot" : "user"}`);
    wrapper.dataset.id = String(view.id);
    const bubble = el("div", "bubble");
    if (view.reply_to) bubble.append(el("div", "quote", view.reply_to.text || "…"));
    if (view.document) bubble.append(drawDocument(view.document));
    if (view.text) {
      const text = el("div", "text");
      drawText(text, view.text, view.entities || []);
      bubble.append(text);
    }
    bubble.append(el("span", "meta", `${view.edited ? "已编辑 " : ""}${clock(view.date)}`));
    wrapper.append(bubble);
    if (view.buttons && view.buttons.length) wrapper.append(drawKeyboard(view));
    if (view.from === "bot") {
      const codes = startCodes(view);
      if (codes.length && state.info.personas.length > 1) wrapper.append(drawOthers(codes));
    }
    return wrapper;
  }

  function nearBottom() {
    const box = $("messages");
    return box.scrollHeight - box.scrollTop - box.clientHeight < 120;
  }

  function scrollDown() {
    const box = $("messages");
    box.scrollTop = box.scrollHeight;
  }

  function upsert(view) {
    const follow = nearBottom() || view.from === "user";
    const drawn = drawMessage(view);
    drawn.dataset.seq = String(state.seq);
    const old = state.messages.get(view.id);
    state.messages.set(view.id, drawn);
    if (old) {
      old.replaceWith(drawn);
      return;
    }
    // Messages stand in id order, whoever sent them.
    let before = null;
    for (const [id, node] of state.messages) {
      if (id > view.id && node.isConnected && (!before || id < Number(before.dataset.id))) {
        before = node;
      }
    }
    $("messages").insertBefore(drawn, before);
    if (follow) scrollDown();
  }

  function remove(id) {
    const node = state.messages.get(id);
    if (node) node.remove();
    state.messages.delete(id);
  }

  function clearChat() {
    for (const node of state.messages.values()) node.remove();
    state.messages.clear();
  }

  function apply(event, replay) {
    state.seq += 1;
    if (event.type === "message") upsert(event.message);
    else if (event.type === "delete") remove(event.id);
    else if (event.type === "toast" && !replay) {
      if (event.alert) alertBox(event.text);
      else toast(event.text);
    }
  }

  async function poll() {
    for (;;) {
      try {
        const query = new URLSearchParams({
          persona: state.persona.key,
          after: String(state.cursor),
          instance: state.instance,
        });
        if (state.first) query.set("wait", "0");
        const data = await call("GET", `/api/events?${query}`);
        online(true);
        const replay = state.first || data.reset;
        if (data.reset) {
          clearChat();
          state.instance = data.instance;
        }
        for (const event of data.events) apply(event, replay);
        state.cursor = data.cursor;
        if (replay) scrollDown();
        state.first = false;
        $("start").hidden = state.messages.size > 0;
        document.body.dataset.cursor = String(state.cursor);
      } catch (error) {
        online(false);
        await sleep(2000);
      }
    }
  }

  // ---------------------------------------------------------------- personas and badges

  function seenKey(key) {
    return `nianbao-playground-seen-${state.instance}-${key}`;
  }

  function drawTabs() {
    const nav = $("personas");
    for (const persona of state.info.personas) {
      const a = el("a", persona.key === state.persona.key ? "current" : "", persona.label);
      a.href = `/?persona=${encodeURIComponent(persona.key)}`;
      a.target = `nianbao-${persona.key}`;
      a.dataset.persona = persona.key;
      a.title = `在单独的标签页中打开「${persona.label}」`;
      a.append(el("span", "badge"));
      a.lastChild.hidden = true;
      nav.append(a);
    }
  }

  async function badges() {
    for (;;) {
      try {
        const data = await call("GET", "/api/counts");
        for (const a of $("personas").children) {
          const key = a.dataset.persona;
          const count = data.counts[key] || 0;
          let seen = 0;
          try {
            if (key === state.persona.key && document.visibilityState === "visible") {
              localStorage.setItem(seenKey(key), String(count));
            }
            seen = Number(localStorage.getItem(seenKey(key)) || 0);
          } catch (error) {
            seen = key === state.persona.key ? count : 0;
          }
          const badge = a.lastChild;
          badge.textContent = String(Math.max(count - seen, 0));
          badge.hidden = key === state.persona.key || count <= seen;
        }
      } catch (error) {
        // the events poll shows that the service is gone
      }
      await sleep(3000);
    }
  }

  function drawCommands() {
    const menu = $("command-menu");
    menu.replaceChildren();
    for (const c of state.info.commands) {
      const button = el("button");
      button.type = "button";
      button.append(el("span", "name", `/${c.command}`), el("span", "desc", c.description));
      button.addEventListener("click", () => {
        menu.hidden = true;
        send(`/${c.command}`);
      });
      menu.append(button);
    }
  }

  // ---------------------------------------------------------------- start

  function wireComposer() {
    const text = $("text");
    const grow = () => {
      text.style.height = "auto";
      text.style.height = `${Math.min(text.scrollHeight, 140)}px`;
    };
    $("composer").addEventListener("submit", async (event) => {
      event.preventDefault();
      const value = text.value;
      if (!value.trim()) return;
      text.value = "";
      grow();
      if (!(await send(value))) {
        text.value = value;
        grow();
      }
    });
    text.addEventListener("input", grow);
    text.addEventListener("keydown", (event) => {
      // Enter sends; Shift+Enter is a new line; Enter that ends an IME composition is not a send.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        $("composer").requestSubmit();
      }
    });
    $("attach").addEventListener("click", () => $("file").click());
    $("file").addEventListener("change", () => {
      const file = $("file").files[0];
      $("file").value = "";
      if (file) upload(file);
    });
    $("menu").addEventListener("click", () => {
      $("command-menu").hidden = !$("command-menu").hidden;
    });
    $("start").addEventListener("click", () => send("/start"));
    $("alert-ok").addEventListener("click", () => { $("alert").hidden = true; });
  }

  async function init() {
    for (;;) {
      try {
        state.info = await call("GET", "/api/info");
        break;
      } catch (error) {
        online(false);
        await sleep(2000);
      }
    }
    online(true);
    state.instance = state.info.instance;
    const asked = new URLSearchParams(window.location.search).get("persona");
    state.persona = state.info.personas.find((p) => p.key === asked) || state.info.personas[0];
    if (asked !== state.persona.key) {
      window.history.replaceState(null, "", `/?persona=${encodeURIComponent(state.persona.key)}`);
    }
    window.name = `nianbao-${state.persona.key}`; // the persona links reuse this tab
    document.title = `${state.persona.label} · 年报 · 本地试用`;
    document.body.dataset.persona = state.persona.key;
    $("bot-name").textContent = state.info.bot.name;
    $("subtitle").textContent = `机器人 · 您是${state.persona.label}`;
    $("hint").textContent = state.persona.hint; // plain: its commands are for other personas too
    drawTabs();
    drawCommands();
    wireComposer();
    poll();
    badges();
  }

  init();
})();
