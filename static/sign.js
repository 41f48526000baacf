// Evidence form helpers, as progressive enhancement: the form works
// without this file. It keeps the "Message to sign" box in step with the
// fields (the same text as handlers.SubmissionMessage builds on the server)
// and, when a browser wallet is present, offers to sign with it.
(function () {
  "use strict";

  var form = document.getElementById("submit-form");
  if (!form) return;

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  var field = function (name) { return form.elements.namedItem(name); };
  var message = document.getElementById("f-message");
  var button = document.getElementById("sign-wallet");
  var status = document.getElementById("sign-status");

  // Go's strings.TrimSpace: Unicode White_Space at both ends.
  var space = "[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+";
  var trimRe = new RegExp("^" + space + "|" + space + "$", "g");
  var trim = function (s) { return s.replace(trimRe, ""); };
  var text = function (s) { return trim(s.replace(/\r\n?/g, "\n")); };

  // SHA-256 of a byte array, as hex. Written out because crypto.subtle
  // exists only on https pages.
  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];
  function sha256hex(bytes) {
    var n = bytes.length, total = ((n + 9 + 63) >> 6) << 6;
    var buf = new Uint8Array(total);
    buf.set(bytes);
    buf[n] = 0x80;
    var bits = n * 8;
    for (var i = 0; i < 8; i++) buf[total - 1 - i] = Math.floor(bits / Math.pow(2, 8 * i)) & 0xff;
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var w = new Array(64);
    var rotr = function (x, r) { return (x >>> r) | (x << (32 - r)); };
    for (var off = 0; off < total; off += 64) {
      for (var t = 0; t < 16; t++) {
        var j = off + t * 4;
        w[t] = (buf[j] << 24) | (buf[j + 1] << 16) | (buf[j + 2] << 8) | buf[j + 3];
      }
      for (t = 16; t < 64; t++) {
        var s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >>> 3);
        var s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >>> 10);
        w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (t = 0; t < 64; t++) {
        var S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        var ch = (e & f) ^ (~e & g);
        var t1 = (k + S1 + ch + K[t] + w[t]) | 0;
        var S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        var maj = (a & b) ^ (a & c) ^ (b & c);
        var t2 = (S0 + maj) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
    }
    return h.map(function (x) { return ("0000000" + (x >>> 0).toString(16)).slice(-8); }).join("");
  }

  var utf8 = function (s) { return new TextEncoder().encode(s); };

  // The canonical message: keep in step with handlers.SubmissionMessage.
  function canonical() {
    return "DeAI Scorecard evidence submission\n" +
      "project: " + trim(field("project").value) + "\n" +
      "axis: " + trim(field("axis").value) + "\n" +
      "url: " + trim(field("url").value) + "\n" +
      "quote sha256: " + sha256hex(utf8(text(field("quote").value)));
  }

  function update() { if (message) message.value = canonical(); }
  ["project", "axis", "url", "quote"].forEach(function (name) {
    var el = field(name);
    if (!el) return;
    el.addEventListener("input", update);
    el.addEventListener("change", update);
  });
  update();

  function say(msg) { if (status) status.textContent = msg; }

  var eth = window.ethereum;
  if (!button || !eth || typeof eth.request !== "function") return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var msg = canonical();
    if (message) message.value = msg;
    var hex = "0x" + Array.prototype.map.call(utf8(msg), function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    var account;
    button.disabled = true;
    say("Waiting for the wallet…");
    eth.request({ method: "eth_requestAccounts" }).then(function (accounts) {
      if (!accounts || !accounts.length) throw new Error("the wallet shared no account");
      account = accounts[0];
      return eth.request({ method: "personal_sign", params: [hex, account] });
    }).then(function (sig) {
      field("address").value = account;
      field("signature").value = sig;
      say("Signed by " + account + ". Send the form to submit it.");
    }).catch(function (err) {
      say("Not signed: " + ((err && err.message) || "the wallet refused") + ". You can still submit unsigned, or sign the message by hand.");
    }).then(function () {
      button.disabled = false;
    });
  });
})();
