// Sphinx 7.4's search (searchtools.js) fetches every result page to show a summary. A page
// opened from file:// may not fetch (the browser's CORS rule), so each result would log an
// error: there, results are listed without summaries. Over http(s) nothing changes.
if (window.location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
}
