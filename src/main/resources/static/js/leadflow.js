/*
 * Leadflow pages: the little behaviour that saves a reload. Everything works without it (forms post,
 * links open pages); with it, the outcome form opens inline and shows the suggested next action as
 * soon as an outcome is picked. No inline scripts (Content-Security-Policy), event delegation only,
 * so forms loaded later by htmx behave the same.
 */
(function () {
	'use strict';

	function csrf() {
		var token = document.querySelector('meta[name="_csrf"]');
		var header = document.querySelector('meta[name="_csrf_header"]');
		return token && header ? { header: header.content, token: token.content } : null;
	}

	function toLoginIfSessionEnded(response) {
		// An expired session answers with the login page; show it as a page, not inside a form.
		if (response.redirected && /\/login(\?|$)/.test(new URL(response.url).pathname + new URL(response.url).search)) {
			window.location.href = response.url;
			return true;
		}
		return false;
	}

	// htmx requests carry the CSRF token like forms do.
	document.addEventListener('htmx:configRequest', function (event) {
		var c = csrf();
		if (c) {
			event.detail.headers[c.header] = c.token;
		}
	});
	document.addEventListener('htmx:beforeSwap', function (event) {
		var url = event.detail.xhr && event.detail.xhr.responseURL;
		if (url && /\/login(\?|$)/.test(url)) {
			event.detail.shouldSwap = false;
			window.location.href = url;
		}
	});
	document.addEventListener('htmx:afterSwap', function (event) {
		var form = event.detail.target && event.detail.target.querySelector('[data-outcome-form]');
		if (form) {
			form.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
			var first = form.querySelector('input[name="outcome"]');
			if (first) {
				first.focus({ preventScroll: true });
			}
		}
	});

	// ---------------------------------------------------------------- the outcome form

	function suggestionParams(form) {
		var params = new URLSearchParams();
		new FormData(form).forEach(function (value, key) {
			if (key !== '_csrf' && typeof value === 'string') {
				params.append(key, value);
			}
		});
		return params;
	}

	function refreshSuggestion(form) {
		var url = form.getAttribute('data-suggest-url');
		var target = form.querySelector('[data-suggestion]');
		if (!url || !target) {
			return;
		}
		var seq = (form._suggestSeq || 0) + 1;
		form._suggestSeq = seq;
		form.removeAttribute('data-suggestion-ready');
		form.setAttribute('aria-busy', 'true');
		fetch(url + '?' + suggestionParams(form).toString(), {
			headers: { 'HX-Request': 'true', 'Accept': 'text/html' },
			credentials: 'same-origin'
		}).then(function (response) {
			if (toLoginIfSessionEnded(response)) {
				return null;
			}
			return response.ok ? response.text() : null;
		}).then(function (html) {
			// Only the answer to the latest change counts.
			if (html === null || seq !== form._suggestSeq) {
				return;
			}
			var current = form.querySelector('[data-suggestion]');
			if (current) {
				current.outerHTML = html;
			}
			form.removeAttribute('data-next-edited');
			form.setAttribute('data-suggestion-ready', 'true');
		}).finally(function () {
			form.removeAttribute('aria-busy');
		});
	}

	document.addEventListener('change', function (event) {
		var target = event.target;
		var form = target.closest && target.closest('[data-outcome-form]');
		if (!form) {
			return;
		}
		if (target.hasAttribute('data-next')) {
			// The rep changed the suggestion: it is an override now, keep it.
			form.setAttribute('data-next-edited', 'true');
		}
		else if (target.hasAttribute('data-suggest')) {
			refreshSuggestion(form);
		}
		else if (target.hasAttribute('data-suggest-soft') && !form.hasAttribute('data-next-edited')
				&& form.querySelector('input[name="outcome"]:checked')) {
			// Hearing items can change the cadence (a well-known lead gets a call, not content).
			refreshSuggestion(form);
		}
	});

	document.addEventListener('click', function (event) {
		var close = event.target.closest && event.target.closest('[data-close-form]');
		if (!close) {
			return;
		}
		var slot = close.closest('.slot');
		if (slot) {
			slot.innerHTML = '';
		}
		else {
			window.location.href = close.getAttribute('data-back') || document.referrer || '/inbox';
		}
	});

	// ---------------------------------------------------------------- CSV import on the intake page

	function setText(root, selector, text) {
		var el = root.querySelector(selector);
		if (el) {
			el.textContent = text;
		}
	}

	function showImport(card, view) {
		var progress = card.querySelector('[data-import-progress]');
		progress.hidden = false;
		var status = view.status === 'DONE' ? card.dataset.msgDone
			: view.status === 'FAILED' ? card.dataset.msgFailed : card.dataset.msgRunning;
		setText(card, '[data-import-status]', status);
		// "{0} / {1} rows: {2} created, ..." from the page's language.
		var counts = [view.processed, view.total, view.created, view.deduplicated, view.failed];
		setText(card, '[data-import-counts]', (card.dataset.msgCounts || '{0} / {1}').replace(/\{(\d)\}/g,
			function (all, i) { return String(counts[Number(i)]); }));
		var percent = view.total > 0 ? Math.round(100 * view.processed / view.total) : 100;
		card.querySelector('[data-import-bar]').style.width = percent + '%';
		var table = card.querySelector('[data-import-errors]');
		var body = table.querySelector('tbody');
		body.textContent = '';
		(view.errors || []).forEach(function (error) {
			var row = document.createElement('tr');
			var n = document.createElement('td');
			n.textContent = error.row;
			n.setAttribute('data-label', card.dataset.msgRow || 'Row');
			var m = document.createElement('td');
			m.textContent = (error.field ? error.field + ': ' : '') + error.message;
			row.appendChild(n);
			row.appendChild(m);
			body.appendChild(row);
		});
		table.hidden = !(view.errors && view.errors.length);
		card.setAttribute('data-import-state', view.status);
	}

	function pollImport(card, id) {
		fetch(card.dataset.statusUrl + encodeURIComponent(id), { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
			.then(function (response) {
				if (toLoginIfSessionEnded(response)) {
					return null;
				}
				return response.json();
			})
			.then(function (view) {
				if (!view) {
					return;
				}
				showImport(card, view);
				if (view.status === 'RUNNING') {
					window.setTimeout(function () { pollImport(card, id); }, 1000);
				}
			});
	}

	document.addEventListener('submit', function (event) {
		var form = event.target.closest && event.target.closest('[data-import-form]');
		if (!form) {
			return;
		}
		event.preventDefault();
		var card = form.closest('[data-import]');
		var file = form.querySelector('input[type=file]').files[0];
		if (!file) {
			return;
		}
		var error = card.querySelector('[data-import-error]');
		error.hidden = true;
		var headers = { 'Content-Type': 'text/csv', 'Accept': 'application/json' };
		var c = csrf();
		if (c) {
			headers[c.header] = c.token;
		}
		var charset = form.querySelector('[name=charset]').value;
		fetch(card.dataset.uploadUrl + '?charset=' + encodeURIComponent(charset), {
			method: 'POST', body: file, headers: headers, credentials: 'same-origin'
		}).then(function (response) {
			return response.json().catch(function () { return {}; }).then(function (body) {
				return { ok: response.ok, body: body, status: response.status };
			});
		}).then(function (result) {
			if (!result.ok) {
				error.textContent = result.body.detail || ('HTTP ' + result.status);
				error.hidden = false;
				return;
			}
			card.setAttribute('data-import-id', result.body.id);
			pollImport(card, result.body.id);
		});
	});
})();
