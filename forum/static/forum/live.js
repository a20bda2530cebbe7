// The forum's live layer: new and edited posts, typing, readers, unread counts and the
// notification badge. The pages work completely without it; posting stays a normal form.
(function () {
  "use strict";
  var root = document.getElementById("forum-live");
  if (!root || !("WebSocket" in window)) { return; }

  // The server gives up on us for good with these codes (login needed, forbidden, gone).
  var FINAL_CODES = [4401, 4403, 4404];
  var TYPING_SHOWN_MS = 5000;
  var TYPING_SEND_EVERY_MS = 3000;

  var statusLine = root.querySelector("[data-forum-status]");
  var readersLine = root.querySelector("[data-forum-readers]");
  var typingLine = document.querySelector("[data-forum-typing]");
  var postList = document.querySelector(".forum-posts[data-topic]");
  var appendsPosts = postList !== null && postList.hasAttribute("data-live-append");
  var reply = document.querySelector("form[action$='/antworten/'] textarea");

  var socket = null;
  var attempts = 0;
  var lastTypingSent = 0;
  var typers = {};
  // Posts announced but not shown because this is not the topic's last page.
  var seenElsewhere = {};

  function text(name, values) {
    var template = root.dataset[name] || "";
    return template.replace(/%\((\w+)\)s/g, function (match, key) {
      return values && key in values ? values[key] : match;
    });
  }

  function announce(message) {
    // Polite and never focused: screen readers read it when they are done, keyboard focus stays put.
    statusLine.textContent = message;
  }

  function pageCsrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function knownPosts() {
    return postList ? postList.querySelectorAll("[data-post-id]") : [];
  }

  function lastPostId() {
    var highest = 0;
    knownPosts().forEach(function (article) {
      highest = Math.max(highest, Number(article.dataset.postId));
    });
    return highest;
  }

  // The version of each post this page shows (its last ones), so that a reconnect brings the
  // edits, deletions and hidings it missed.
  var MAX_SHOWN_VERSIONS = 100;
  function shownVersions() {
    var shown = {};
    Array.prototype.slice.call(knownPosts(), -MAX_SHOWN_VERSIONS).forEach(function (article) {
      shown[article.dataset.postId] = article.dataset.postVersion || "";
    });
    return shown;
  }

  function toElement(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    var article = template.content.firstElementChild;
    // Rendered outside a request, the post's forms carry a placeholder for this page's CSRF token.
    article.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (field) {
      field.value = pageCsrfToken();
    });
    return article;
  }

  function insertInOrder(article) {
    var number = Number(article.dataset.postNumber);
    var next = Array.prototype.find.call(knownPosts(), function (other) {
      return Number(other.dataset.postNumber) > number;
    });
    postList.insertBefore(article, next || null);
  }

  function showPosts(message) {
    if (!postList) { return; }
    var added = [];
    message.posts.forEach(function (post) {
      var existing = postList.querySelector("[data-post-id='" + post.id + "']");
      if (message.event === "edited") {
        if (existing) { existing.replaceWith(toElement(post.html)); }
        return;
      }
      if (existing) { return; }  // a catch-up overlapping a live message
      if (!appendsPosts) {
        if (!seenElsewhere[post.id]) { added.push(post); }
        seenElsewhere[post.id] = true;
        return;
      }
      stopTyping(post.author_id);
      var article = toElement(post.html);
      article.classList.add("forum-post--live");
      insertInOrder(article);
      added.push(post);
    });
    if (added.length && !appendsPosts) {
      announce(text("textNewElsewhere"));
    } else if (added.length === 1) {
      announce(text("textNewOne", { name: added[0].author || "?" }));
    } else if (added.length > 1) {
      announce(text("textNewOther", { count: added.length }));
    }
    if (!message.complete) { announce(text("textMore")); }
  }

  function showTyping(message) {
    var entry = typers[message.user_id];
    if (entry) { clearTimeout(entry.timer); }
    typers[message.user_id] = {
      name: message.name,
      timer: setTimeout(function () { stopTyping(message.user_id); }, TYPING_SHOWN_MS),
    };
    renderTyping();
  }

  function stopTyping(userId) {
    if (typers[userId]) {
      clearTimeout(typers[userId].timer);
      delete typers[userId];
      renderTyping();
    }
  }

  function renderTyping() {
    if (!typingLine) { return; }
    var names = Object.keys(typers).map(function (id) { return typers[id].name; });
    var wanted = "";
    if (names.length) {
      wanted = text(names.length === 1 ? "textTypingOne" : "textTypingOther", { names: names.join(", ") });
    }
    // Only a change is written, so that screen readers do not hear the same line again.
    if (typingLine.textContent !== wanted) { typingLine.textContent = wanted; }
  }

  function showReaders(count) {
    if (readersLine) {
      readersLine.textContent = text(count === 1 ? "textReadersOne" : "textReadersOther", { count: count });
    }
  }

  function showUnread(message) {
    var cell = document.querySelector("[data-forum-unread='" + message.board_id + "']");
    if (!cell) { return; }
    cell.replaceChildren();
    if (message.count > 0) {
      var badge = document.createElement("span");
      badge.className = "badge forum-new";
      badge.textContent = message.label;
      cell.appendChild(badge);
    }
  }

  function showBadge(count) {
    document.querySelectorAll("[data-forum-badge]").forEach(function (badge) {
      badge.querySelector("[data-forum-badge-count]").textContent = String(count);
      badge.hidden = count === 0;
    });
  }

  function showPoll(message) {
    // Only the results are replaced: a ballot the reader is filling in keeps its choices and focus.
    var results = document.querySelector("[data-poll-results='" + message.poll_id + "']");
    if (!results) { return; }
    var template = document.createElement("template");
    template.innerHTML = message.html.trim();
    results.replaceChildren(template.content);
  }

  var handlers = {
    posts: showPosts,
    poll: showPoll,
    typing: showTyping,
    readers: function (message) { showReaders(message.count); },
    unread: showUnread,
    notifications: function (message) { showBadge(message.count); },
    error: function (message) { if (window.console) { console.warn(message.message); } },
  };

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(message)); }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + root.dataset.path);
    socket.addEventListener("open", function () {
      if (attempts > 0) { announce(""); }
      attempts = 0;
      // Also on the first connection: posts written between rendering the page and now.
      if (postList) { send({ type: "resume", last_post_id: lastPostId(), shown: shownVersions() }); }
    });
    socket.addEventListener("message", function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (error) { return; }
      var handler = handlers[message.type];
      if (handler) { handler(message); }
    });
    socket.addEventListener("close", function (event) {
      socket = null;
      if (FINAL_CODES.indexOf(event.code) !== -1) {
        announce(text("textClosed"));
        return;
      }
      if (attempts === 0) { announce(text("textOffline")); }
      // Exponential back-off with jitter, so that a restarted server is not hit by everyone at once.
      var delay = Math.min(30000, 1000 * Math.pow(2, attempts)) * (0.5 + Math.random() / 2);
      attempts += 1;
      setTimeout(connect, delay);
    });
  }

  if (reply && postList) {
    reply.addEventListener("input", function () {
      var now = Date.now();
      if (now - lastTypingSent >= TYPING_SEND_EVERY_MS) {
        lastTypingSent = now;
        send({ type: "typing" });
      }
    });
  }

  connect();
})();
