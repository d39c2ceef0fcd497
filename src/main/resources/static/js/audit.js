/*
 * The audit page: while "spread over the team" is chosen, the "to rep" field does not apply. The
 * forms work without this script; it never calls /api/** (the page runs on its login session).
 */
(function () {
	'use strict';

	function sync(form) {
		var spread = form.querySelector('input[name="mode"][value="spread"]');
		var to = form.querySelector('input[name="to"]');
		var box = form.querySelector('[data-reassign-to]');
		if (!spread || !to) {
			return;
		}
		to.disabled = spread.checked;
		if (box) {
			box.hidden = spread.checked;
		}
	}

	document.addEventListener('change', function (event) {
		var form = event.target.closest && event.target.closest('[data-reassign]');
		if (form && event.target.name === 'mode') {
			sync(form);
		}
	});

	document.addEventListener('DOMContentLoaded', function () {
		document.querySelectorAll('[data-reassign]').forEach(sync);
	});
}());
