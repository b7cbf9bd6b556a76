// Maps drawn on the server (kense/geo/templates/geo/_map.html): zoom and pan by the SVG's
// viewBox, a tap or Enter explains an area or a point, a cluster zooms in, the map saves as SVG
// or PNG, and a map with data-pick fills the latitude and longitude fields of its form.
(function () {
  "use strict";

  function setup(figure) {
    if (figure.dataset.ready) return;
    figure.dataset.ready = "1";
    var svg = figure.querySelector("svg.map-svg");
    var info = figure.querySelector("[data-map-info]");
    var full = svg.viewBox.baseVal;
    var whole = [full.x, full.y, full.width, full.height];
    var view = whole.slice();
    var west = parseFloat(figure.dataset.west), north = parseFloat(figure.dataset.north);
    var scale = parseFloat(figure.dataset.scale), cos = parseFloat(figure.dataset.cos);
    var MARGIN = 8;

    // Names and points keep their size on the screen whatever the zoom and the screen's width:
    // the picture's units per screen pixel scale them.
    var labels = svg.querySelectorAll(".map-labels");
    var circles = svg.querySelectorAll(".map-spot circle, .map-picked");
    var counts = svg.querySelectorAll(".map-spot text");
    circles.forEach(function (circle) { circle.dataset.r = circle.getAttribute("r"); });
    function fit() {
      var width = svg.getBoundingClientRect().width;
      if (!width) return;
      var unit = view[2] / width;
      labels.forEach(function (group) {
        group.setAttribute("font-size", 12 * unit);
        if (group.getAttribute("stroke")) group.setAttribute("stroke-width", 3 * unit);
      });
      circles.forEach(function (circle) { circle.setAttribute("r", parseFloat(circle.dataset.r) * unit * 1.2); });
      counts.forEach(function (text) { text.setAttribute("font-size", 11 * unit); text.setAttribute("dy", 4 * unit); });
    }
    function show() { svg.setAttribute("viewBox", view.join(" ")); fit(); }
    window.addEventListener("resize", fit);
    fit();
    function zoom(factor, cx, cy) {
      if (cx === undefined) { cx = view[0] + view[2] / 2; cy = view[1] + view[3] / 2; }
      var width = Math.min(whole[2], Math.max(whole[2] / 40, view[2] * factor));
      var height = width * whole[3] / whole[2];
      view = [cx - (cx - view[0]) * width / view[2], cy - (cy - view[1]) * height / view[3], width, height];
      show();
    }
    function toPicture(event) {
      var point = svg.createSVGPoint();
      point.x = event.clientX; point.y = event.clientY;
      return point.matrixTransform(svg.getScreenCTM().inverse());
    }
    function toDegrees(p) {
      return { lon: west + (p.x - MARGIN) / (scale * cos), lat: north - (p.y - MARGIN) / scale };
    }
    function toPoint(lat, lon) {
      return { x: MARGIN + (lon - west) * cos * scale, y: MARGIN + (north - lat) * scale };
    }

    figure.querySelectorAll("[data-map-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var how = button.dataset.mapZoom;
        if (how === "in") zoom(0.5); else if (how === "out") zoom(2); else { view = whole.slice(); show(); }
      });
    });
    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var p = toPicture(event);
      zoom(event.deltaY < 0 ? 0.8 : 1.25, p.x, p.y);
    }, { passive: false });

    var drag = null, moved = false;
    svg.addEventListener("pointerdown", function (event) {
      drag = { x: event.clientX, y: event.clientY, view: view.slice() }; moved = false;
    });
    svg.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var ratio = view[2] / svg.getBoundingClientRect().width;
      var dx = (event.clientX - drag.x) * ratio, dy = (event.clientY - drag.y) * ratio;
      if (Math.abs(dx) + Math.abs(dy) > 3 * ratio) moved = true;
      if (moved) { view = [drag.view[0] - dx, drag.view[1] - dy, view[2], view[3]]; show(); }
    });
    window.addEventListener("pointerup", function () { drag = null; });

    function explain(target) {
      var item = target.closest("[data-info]");
      if (!item) return false;
      if (item.dataset.zoom) {
        var box = item.dataset.zoom.split(",").map(parseFloat);
        var a = toPoint(box[3], box[0]), b = toPoint(box[1], box[2]);
        var width = Math.max(b.x - a.x, whole[2] / 40);
        view = [a.x, a.y, width, width * whole[3] / whole[2]];
        show();
      }
      info.textContent = item.dataset.info;
      if (item.dataset.url) {
        var link = document.createElement("a");
        link.href = item.dataset.url;
        link.textContent = figure.dataset.openLabel || "→";
        info.append(" ", link);
      }
      figure.querySelectorAll(".map-chosen").forEach(function (el) { el.classList.remove("map-chosen"); });
      item.classList.add("map-chosen");
      return true;
    }

    var picked = figure.querySelector(".map-picked");
    var form = figure.closest("form");
    var latitude = form && form.querySelector("[name$='latitude']");
    var longitude = form && form.querySelector("[name$='longitude']");
    function place() {
      if (!picked || !latitude || !longitude) return;
      var lat = parseFloat(latitude.value.replace(",", ".")), lon = parseFloat(longitude.value.replace(",", "."));
      if (isNaN(lat) || isNaN(lon)) { picked.setAttribute("cx", -20); picked.setAttribute("cy", -20); return; }
      var p = toPoint(lat, lon);
      picked.setAttribute("cx", p.x); picked.setAttribute("cy", p.y);
    }
    if (figure.hasAttribute("data-pick") && latitude && longitude) {
      latitude.addEventListener("input", place);
      longitude.addEventListener("input", place);
      place();
    }

    svg.addEventListener("click", function (event) {
      if (moved) return;
      if (figure.hasAttribute("data-pick") && latitude && longitude) {
        var d = toDegrees(toPicture(event));
        latitude.value = d.lat.toFixed(5);
        longitude.value = d.lon.toFixed(5);
        latitude.dispatchEvent(new Event("change", { bubbles: true }));
        place();
        info.textContent = figure.dataset.pickedLabel.replace("%s", d.lat.toFixed(5) + ", " + d.lon.toFixed(5));
        return;
      }
      explain(event.target);
    });
    svg.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        if (explain(event.target)) event.preventDefault();
      }
    });

    function standalone() {
      var copy = svg.cloneNode(true);
      copy.setAttribute("viewBox", whole.join(" "));
      copy.querySelectorAll(".map-picked").forEach(function (el) { el.remove(); });
      return new XMLSerializer().serializeToString(copy);
    }
    function save(blob, name) {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    }
    var name = (figure.dataset.filename || "kense-map");
    figure.querySelectorAll("[data-map-export]").forEach(function (button) {
      button.addEventListener("click", function () {
        var text = standalone();
        if (button.dataset.mapExport === "svg") {
          save(new Blob([text], { type: "image/svg+xml" }), name + ".svg");
          return;
        }
        var image = new Image();
        image.onload = function () {
          var canvas = document.createElement("canvas");
          canvas.width = whole[2] * 2; canvas.height = whole[3] * 2;
          var context = canvas.getContext("2d");
          context.scale(2, 2);
          context.drawImage(image, 0, 0, whole[2], whole[3]);
          canvas.toBlob(function (blob) { save(blob, name + ".png"); }, "image/png");
        };
        image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
      });
    });
  }

  function setupAll(root) { (root || document).querySelectorAll("[data-map]").forEach(setup); }
  document.addEventListener("DOMContentLoaded", function () { setupAll(); });
  document.addEventListener("htmx:afterSwap", function (event) { setupAll(event.target); });
})();
