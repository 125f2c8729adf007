// Draws the outcomes-per-day chart of /dashboard with uPlot (served from the jar). The data is the
// JSON block the server rendered; nothing is fetched from elsewhere, so the page works offline.
(function () {
  var data = JSON.parse(document.getElementById('series').textContent);
  var el = document.getElementById('chart');
  var colors = {solved: '#2a9d3a', escalated: '#d9480f', abandoned: '#868e96', unconfirmed: '#1c7ed6'};
  var series = [{}];
  var columns = [data.days];
  Object.keys(colors).forEach(function (k) {
    series.push({label: k, stroke: colors[k], width: 2});
    columns.push(data[k]);
  });
  new uPlot({title: 'Outcomes per day', width: 720, height: 260, series: series}, columns, el);
})();
