/**
 * Files every SCORM / Common Cartridge package carries in `assets/`: the lesson style sheet and the SCORM runtime
 * script (docs/export.md, "The runtime script"). Nothing here loads anything from the network.
 */

export const LESSON_CSS = `:root { color-scheme: light; }
body { margin: 0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; background: #fff; }
.lesson { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
.breadcrumb { color: #59636e; font-size: .875rem; margin: 0 0 .25rem; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 0 0 .5rem; }
h2 { font-size: 1.4rem; margin: 2rem 0 .75rem; border-bottom: 1px solid #d1d9e0; padding-bottom: .25rem; }
h3 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
.summary { color: #59636e; font-size: 1.05rem; margin: 0 0 1.5rem; }
a { color: #0969da; }
ul, ol { padding-left: 1.5rem; }
blockquote { margin: 1rem 0; padding: 0 1rem; color: #59636e; border-left: .25rem solid #d1d9e0; }
code, kbd, samp { font: .875em/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f6f8fa; border-radius: 4px; padding: .1em .3em; }
pre { background: #f6f8fa; border: 1px solid #d1d9e0; border-radius: 6px; padding: .85rem 1rem; overflow-x: auto; }
pre code { background: none; padding: 0; white-space: pre; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #d1d9e0; padding: .35rem .7rem; }
.tasks ol { list-style: none; padding: 0; }
.task { border: 1px solid #d1d9e0; border-radius: 8px; padding: .25rem 1rem .75rem; margin: 0 0 1rem; }
.task h3 { margin-top: .75rem; }
.task-meta { color: #59636e; font-size: .875rem; margin: 0 0 .5rem; }
.task-kind { display: inline-block; background: #ddf4ff; color: #0a3069; border-radius: 999px; padding: 0 .6rem; font-weight: 600; }
.lesson-end { color: #59636e; font-size: .85rem; margin-top: 2rem; min-height: 1.2em; }
`;

/**
 * Finds the LMS API (SCORM 1.2 `API`, SCORM 2004 `API_1484_11`) up the parent chain and then the opener's,
 * initializes, marks the lesson completed once its end has been seen, and finishes on page hide. Every call is
 * guarded: without an LMS (or across origins) the page reads as a plain document and nothing throws.
 */
export const SCORM_RUNTIME_JS = `(function () {
  'use strict';
  var version = document.documentElement.getAttribute('data-scorm');
  var is2004 = version === '2004';
  var NAME = is2004 ? 'API_1484_11' : 'API';
  var CALLS = is2004
    ? { init: 'Initialize', get: 'GetValue', set: 'SetValue', commit: 'Commit', finish: 'Terminate', status: 'cmi.completion_status' }
    : { init: 'LMSInitialize', get: 'LMSGetValue', set: 'LMSSetValue', commit: 'LMSCommit', finish: 'LMSFinish', status: 'cmi.core.lesson_status' };
  var api = null, started = false, finished = false, completed = false;

  function search(win) {
    for (var hops = 0; win && hops < 12; hops++) {
      try { if (win[NAME]) return win[NAME]; } catch (e) { return null; }
      try { if (!win.parent || win.parent === win) return null; win = win.parent; } catch (e) { return null; }
    }
    return null;
  }
  function findApi() {
    var found = search(window);
    try { if (!found && window.opener) found = search(window.opener); } catch (e) { found = null; }
    try { if (!found && window.top && window.top.opener) found = search(window.top.opener); } catch (e) { found = null; }
    return found;
  }
  function call(method) {
    if (!api || typeof api[method] !== 'function') return '';
    try { return String(api[method].apply(api, Array.prototype.slice.call(arguments, 1))); } catch (e) { return ''; }
  }
  function say(text) {
    var el = document.getElementById('lesson-end');
    if (el) el.textContent = text;
  }
  function start() {
    api = findApi();
    if (!api) { say('Opened outside a learning management system: progress is not recorded.'); return; }
    started = call(CALLS.init, '') === 'true';
    if (!started) { say('The learning management system did not start this lesson.'); return; }
    var status = call(CALLS.get, CALLS.status);
    completed = status === 'completed' || status === 'passed';
    if (!completed && (status === 'not attempted' || status === 'unknown' || status === '')) {
      call(CALLS.set, CALLS.status, 'incomplete');
      call(CALLS.commit, '');
    }
    if (completed) say('Lesson completed.');
  }
  function complete() {
    if (!started || finished || completed) return;
    completed = call(CALLS.set, CALLS.status, 'completed') === 'true';
    call(CALLS.commit, '');
    if (completed) say('Lesson completed.');
  }
  function finish() {
    if (!started || finished) return;
    finished = true;
    if (is2004) call(CALLS.set, 'cmi.exit', completed ? 'normal' : 'suspend');
    call(CALLS.finish, '');
  }
  function watchEnd() {
    var end = document.getElementById('lesson-end');
    if (!end) return;
    if (typeof IntersectionObserver === 'function') {
      var seen = new IntersectionObserver(function (entries) {
        for (var i = 0; i < entries.length; i++) if (entries[i].isIntersecting) { complete(); seen.disconnect(); }
      });
      seen.observe(end);
    } else {
      var check = function () {
        if (end.getBoundingClientRect().top <= (window.innerHeight || document.documentElement.clientHeight)) complete();
      };
      window.addEventListener('scroll', check, { passive: true });
      check();
    }
  }
  function boot() {
    try { start(); watchEnd(); } catch (e) { /* a broken LMS must not break the page */ }
  }
  window.addEventListener('pagehide', finish);
  window.addEventListener('beforeunload', finish);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot); else boot();
})();
`;
