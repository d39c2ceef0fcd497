/*
 * The lead page's process diagram: the BPMN of the lead's current route process, drawn by the
 * bpmn-js viewer, with the activities the lead is waiting in marked.
 */
(function () {
	'use strict';

	function show(container) {
		var status = container.querySelector('.status');
		if (typeof window.BpmnJS !== 'function') {
			status.textContent = container.dataset.failed;
			return;
		}
		var viewer = new window.BpmnJS({ container: container });
		fetch(container.dataset.xmlUrl, { credentials: 'same-origin', headers: { 'Accept': 'application/xml' } })
			.then(function (response) {
				if (!response.ok) {
					throw new Error('HTTP ' + response.status);
				}
				return response.text();
			})
			.then(function (xml) {
				return viewer.importXML(xml);
			})
			.then(function () {
				var canvas = viewer.get('canvas');
				canvas.zoom('fit-viewport', 'auto');
				var registry = viewer.get('elementRegistry');
				(container.dataset.active || '').split(',').filter(Boolean).forEach(function (id) {
					if (registry.get(id)) {
						canvas.addMarker(id, 'lf-active');
					}
				});
				status.remove();
				container.setAttribute('data-rendered', 'true');
			})
			.catch(function () {
				status.textContent = container.dataset.failed;
				container.setAttribute('data-rendered', 'failed');
			});
	}

	document.querySelectorAll('[data-bpmn]').forEach(show);
})();
