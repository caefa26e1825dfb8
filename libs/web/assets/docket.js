// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';

  function ready(fn) {
    if (document.readyState !== 'loading') fn();
    else document.addEventListener('DOMContentLoaded', fn);
  }

  ready(function () {
    // Move focus to the error summary so screen readers announce it (GOV.UK pattern).
    var summary = document.querySelector('[data-error-summary]');
    if (summary) summary.focus();

    // A link of the error summary puts the cursor in its field, with the field's label in view.
    document.querySelectorAll('.error-summary a[href^="#"]').forEach(function (link) {
      link.addEventListener('click', function (event) {
        var target = document.getElementById(link.getAttribute('href').slice(1));
        if (!target) return;
        event.preventDefault();
        var label = document.querySelector('label[for="' + target.id + '"]') || target;
        label.scrollIntoView();
        target.focus({ preventScroll: true });
      });
    });

    // Radios with data-reveal-target show only the fields of the chosen option.
    var radios = document.querySelectorAll('input[type="radio"][data-reveal-target]');
    function sync() {
      radios.forEach(function (radio) {
        var panel = document.getElementById(radio.getAttribute('data-reveal-target'));
        if (panel) panel.hidden = !radio.checked;
      });
    }
    radios.forEach(function (radio) { radio.addEventListener('change', sync); });
    if (radios.length) sync();
  });
})();
