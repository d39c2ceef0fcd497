/*
 * The KPI dashboard's charts (Chart.js): daily and weekly calls against the pro-rated target, and
 * the contact rate. The server renders the data into the page as JSON (#dashboard-data); nothing
 * is fetched.
 */
(function () {
	'use strict';

	// leadflow.css: --primary, --warn, --info.
	var CALLS = 'rgba(31, 111, 120, 0.7)';
	var TARGET = '#a65a00';
	var RATE = '#3559b7';

	function trendChart(canvasId, series, labels) {
		var canvas = document.getElementById(canvasId);
		if (!canvas || !series || typeof Chart === 'undefined') {
			return null;
		}
		var reduceMotion = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
		return new Chart(canvas, {
			data: {
				// Days as MM-DD; weeks by their Monday.
				labels: series.periods.map(function (period) { return period.substring(5); }),
				datasets: [
					// Lines are drawn over the bars (lower order on top); the legend keeps this order.
					{ type: 'bar', label: labels.calls, data: series.calls, yAxisID: 'y', backgroundColor: CALLS, order: 3 },
					{ type: 'line', label: labels.callsTarget, data: series.callsTarget, yAxisID: 'y', borderColor: TARGET,
						backgroundColor: TARGET, borderDash: [6, 4], pointRadius: 0, borderWidth: 2, order: 2 },
					{ type: 'line', label: labels.contactRate, data: series.contactRate, yAxisID: 'rate', borderColor: RATE,
						backgroundColor: RATE, pointRadius: 3, borderWidth: 2, spanGaps: true, order: 1 }
				]
			},
			options: {
				responsive: true,
				maintainAspectRatio: false,
				animation: reduceMotion ? false : { duration: 300 },
				interaction: { mode: 'index', intersect: false },
				scales: {
					y: { beginAtZero: true, title: { display: true, text: labels.callsAxis }, ticks: { precision: 0 } },
					rate: {
						position: 'right', beginAtZero: true, suggestedMax: 30,
						grid: { drawOnChartArea: false },
						title: { display: true, text: labels.rateAxis },
						ticks: { callback: function (value) { return value + '%'; } }
					},
					x: { ticks: { autoSkip: true, maxRotation: 0 } }
				},
				plugins: {
					legend: {
						position: 'bottom',
						labels: { boxWidth: 12, sort: function (a, b) { return a.datasetIndex - b.datasetIndex; } }
					}
				}
			}
		});
	}

	function init() {
		var block = document.getElementById('dashboard-data');
		var data = block ? JSON.parse(block.textContent) : null;
		if (data) {
			trendChart('chart-daily', data.daily, data.labels);
			trendChart('chart-weekly', data.weekly, data.labels);
		}
		// Picking another rep shows it at once.
		var rep = document.querySelector('select[data-autosubmit]');
		if (rep) {
			rep.addEventListener('change', function () { rep.form.submit(); });
		}
	}

	if (document.readyState === 'loading') {
		document.addEventListener('DOMContentLoaded', init);
	}
	else {
		init();
	}
})();
