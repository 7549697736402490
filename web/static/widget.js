/*
 * Embeddable policy Q&A chat widget. No build step, no external resources.
 *
 *   <script src="https://host:port/widget.js" data-api="https://host:port" defer></script>
 *
 * Attributes: data-api (API origin; default: where this script came from), data-api-key
 * (sent as X-API-Key when the server sets RAG_API_KEY), data-title (panel title).
 * All text from the server or the user is inserted with textContent / DOM nodes, never as HTML.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__policyQaWidget) return;
  window.__policyQaWidget = true;

  var apiBase = (script.getAttribute("data-api") || new URL(script.src, location.href).origin).replace(/\/+$/, "");
  var apiKey = script.getAttribute("data-api-key") || "";
  var title = script.getAttribute("data-title") || "政策文件问答";
  var MAX_CHARS = 2000, HISTORY_TURNS = 3, HISTORY_ANSWER_CHARS = 600, CLAUSE_PREVIEW = 220;
  var history = [];
  var busy = false;

  var CSS = [
    ":host{all:initial}",
    "*{box-sizing:border-box;font-family:-apple-system,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif}",
    ".fab{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:28px;padding:0 18px;height:52px;",
    "background:#1456b8;color:#fff;font-size:15px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}",
    ".fab:focus-visible{outline:3px solid #f5b700}",
    ".panel{position:fixed;right:16px;bottom:84px;z-index:2147483000;width:min(400px,calc(100vw - 16px));",
    "height:min(620px,calc(100vh - 100px));background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);",
    "display:flex;flex-direction:column;overflow:hidden;color:#1f2328;font-size:14px}",
    ".panel[hidden]{display:none}",
    "@media (max-width:480px){.panel{right:8px;left:8px;width:auto;bottom:80px;height:calc(100vh - 96px)}}",
    ".head{background:#1456b8;color:#fff;padding:10px 12px;display:flex;align-items:center;justify-content:space-between}",
    ".head b{font-size:15px}.head button{background:none;border:0;color:#fff;font-size:20px;cursor:pointer;line-height:1}",
    ".log{position:relative;flex:1;overflow-y:auto;padding:10px;background:#f6f8fa}",
    ".msg{margin:8px 0;padding:8px 10px;border-radius:10px;white-space:pre-wrap;word-break:break-word;line-height:1.55}",
    ".user{background:#1456b8;color:#fff;margin-left:15%}",
    ".bot{background:#fff;border:1px solid #d0d7de;margin-right:6%}",
    ".bot.refused{background:#eef0f2;border:1px dashed #8c959f;color:#424a53}",
    ".bot.error{background:#fff1f0;border-color:#ffa39e;color:#a8071a}",
    ".hint{color:#57606a;font-size:13px}",
    ".cards-title{font-size:12px;color:#57606a;margin:8px 0 2px}",
    ".card{border:1px solid #d0d7de;border-left:3px solid #1456b8;border-radius:8px;padding:6px 8px;margin:6px 0;background:#fff;white-space:normal}",
    ".refused .card{border-left-color:#8c959f;background:#f6f8fa}",
    ".card .t{font-weight:600;font-size:13px}.card .n{color:#1456b8;margin-right:4px}",
    ".card .meta,.card .sec{font-size:12px;color:#57606a;margin-top:2px}",
    ".card .units{margin-top:4px}.unit{display:inline-block;border:1px solid #d0d7de;border-radius:10px;padding:0 6px;margin:2px 4px 0 0;font-size:12px;background:#f6f8fa}",
    ".unit.lead{border-color:#1456b8;background:#ddf4ff}",
    ".card .text{font-size:13px;margin-top:4px;white-space:pre-wrap;line-height:1.5}",
    ".card mark{background:#fff3b0}",
    ".more{background:none;border:0;color:#1456b8;cursor:pointer;font-size:12px;padding:0}",
    ".foot{display:flex;gap:6px;padding:8px;border-top:1px solid #d0d7de;background:#fff}",
    "textarea{flex:1;resize:none;height:42px;border:1px solid #d0d7de;border-radius:8px;padding:8px;font-size:14px}",
    ".send{border:0;border-radius:8px;background:#1456b8;color:#fff;padding:0 14px;font-size:14px;cursor:pointer}",
    ".send:disabled{background:#8c959f;cursor:default}"
  ].join("");

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  var host = el("div");
  host.id = "policy-qa-widget";
  var root = host.attachShadow({ mode: "open" });
  var style = el("style");
  style.textContent = CSS;
  root.appendChild(style);

  var fab = el("button", "fab", title);
  fab.type = "button";
  fab.setAttribute("aria-label", "打开" + title);
  fab.setAttribute("aria-expanded", "false");
  var panel = el("section", "panel");
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", title);
  var head = el("div", "head");
  head.appendChild(el("b", null, title));
  var close = el("button", null, "×");
  close.type = "button";
  close.setAttribute("aria-label", "关闭");
  head.appendChild(close);
  var log = el("div", "log");
  log.setAttribute("aria-live", "polite");
  log.appendChild(el("div", "msg bot hint", "您好！可以问某项工作由哪个单位负责、某单位有哪些任务、某项工作有什么要求。回答均标注文件出处。"));
  var foot = el("div", "foot");
  var input = el("textarea");
  input.placeholder = "输入问题，Enter 发送";
  input.maxLength = MAX_CHARS;
  input.setAttribute("aria-label", "问题");
  var send = el("button", "send", "发送");
  send.type = "button";
  foot.appendChild(input);
  foot.appendChild(send);
  panel.appendChild(head);
  panel.appendChild(log);
  panel.appendChild(foot);
  root.appendChild(fab);
  root.appendChild(panel);

  function toggle(open) {
    panel.hidden = !open;
    fab.setAttribute("aria-expanded", String(open));
    if (open) input.focus();
  }
  fab.addEventListener("click", function () { toggle(panel.hidden); });
  close.addEventListener("click", function () { toggle(false); fab.focus(); });

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function clauseText(c) {
    var box = el("div", "text");
    var text = String(c.text || "");
    var hl = String(c.highlight || "");
    var full = text;
    var shortText = text.length > CLAUSE_PREVIEW ? text.slice(0, CLAUSE_PREVIEW) + "……" : text;
    function paint(t) {
      box.textContent = "";
      var at = hl ? t.indexOf(hl) : -1;
      if (at < 0) { box.appendChild(document.createTextNode(t)); return; }
      box.appendChild(document.createTextNode(t.slice(0, at)));
      box.appendChild(el("mark", null, hl));
      box.appendChild(document.createTextNode(t.slice(at + hl.length)));
    }
    var preview = hl && text.indexOf(hl) >= 0 && text.indexOf(hl) + hl.length > CLAUSE_PREVIEW ? full : shortText;
    paint(preview);
    if (preview === full) return [box];
    var more = el("button", "more", "展开全文");
    more.type = "button";
    more.addEventListener("click", function () {
      var expanded = more.textContent === "收起";
      paint(expanded ? shortText : full);
      more.textContent = expanded ? "展开全文" : "收起";
    });
    return [box, more];
  }

  function card(c, numbered) {
    var node = el("div", "card");
    var t = el("div", "t");
    if (numbered) t.appendChild(el("span", "n", "[" + c.n + "]"));
    t.appendChild(document.createTextNode(c.doc_title || c.doc_id || ""));
    node.appendChild(t);
    var meta = [c.doc_number, c.issuer, c.date, c.page ? "p. " + c.page : ""].filter(Boolean).join(" · ");
    if (meta) node.appendChild(el("div", "meta", meta));
    node.appendChild(el("div", "sec", c.section || "（正文）"));
    var units = el("div", "units");
    var lead = c.lead_units || [], inherited = c.inherited_units || [];
    (c.units || []).forEach(function (u) {
      var tag = lead.indexOf(u) >= 0 ? "（牵头）" : inherited.indexOf(u) >= 0 ? "（继承）" : "";
      units.appendChild(el("span", lead.indexOf(u) >= 0 ? "unit lead" : "unit", u + tag));
    });
    if ((c.units || []).length) node.appendChild(units);
    clauseText(c).forEach(function (n) { node.appendChild(n); });
    return node;
  }

  function showAnswer(data, asked) {
    var bubble = el("div", data.refused ? "msg bot refused" : "msg bot");
    bubble.appendChild(el("div", null, data.answer || ""));
    var list = data.refused ? (data.related || []) : (data.citations || []);
    if (list.length) {
      bubble.appendChild(el("div", "cards-title", data.refused ? "相关条款（仅供参考）" : "依据条款"));
      list.forEach(function (c) { bubble.appendChild(card(c, !data.refused)); });
    }
    log.appendChild(bubble);
    log.scrollTop = Math.max(0, asked.offsetTop - 8); // the question and the start of its answer
  }

  function errorText(status, body) {
    if (status === 401) return "服务需要 API 密钥，请联系网站管理员。";
    if (status === 413) return "问题内容太长，请精简后再问。";
    if (status === 429) return "提问太频繁了，请稍等一分钟再试。";
    if (status === 503) return "问答服务暂时不可用，请稍后再试。";
    if (body && typeof body.detail === "string") return "无法回答：" + body.detail;
    return "出错了（" + status + "），请稍后再试。";
  }

  function ask() {
    var question = input.value.trim();
    if (!question || busy) return;
    if (question.length > MAX_CHARS) question = question.slice(0, MAX_CHARS);
    busy = true;
    send.disabled = true;
    input.value = "";
    var asked = el("div", "msg user", question);
    log.appendChild(asked);
    var waiting = el("div", "msg bot hint", "正在查找条款……");
    log.appendChild(waiting);
    scrollDown();
    var headers = { "Content-Type": "application/json" };
    if (apiKey) headers["X-API-Key"] = apiKey;
    var turns = history.slice(-HISTORY_TURNS).map(function (t) {
      return { question: t.question, answer: t.answer.slice(0, HISTORY_ANSWER_CHARS) };
    });
    fetch(apiBase + "/api/ask", {
      method: "POST", headers: headers, body: JSON.stringify({ question: question, history: turns })
    }).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (body) {
        log.removeChild(waiting);
        if (!res.ok || !body) {
          log.appendChild(el("div", "msg bot error", errorText(res.status, body)));
          scrollDown();
          return;
        }
        history.push({ question: question, answer: String(body.answer || "") });
        showAnswer(body, asked);
      });
    }).catch(function () {
      if (waiting.parentNode) log.removeChild(waiting);
      log.appendChild(el("div", "msg bot error", "无法连接问答服务，请检查网络后重试。"));
      scrollDown();
    }).then(function () {
      busy = false;
      send.disabled = false;
      input.focus();
    });
  }

  send.addEventListener("click", ask);
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      ask();
    }
  });

  function mount() { document.body.appendChild(host); }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
