// @ts-check
import { h } from './dom.js';

const UPLOT_JS = '/vendor/uplot/uPlot.iife.min.js';
const UPLOT_CSS = '/vendor/uplot/uPlot.min.css';

/** @type {Promise<any> | null} */
let loading = null;

/**
 * uPlot, loaded the first time a chart is shown (the dashboard never pays for it): its minified
 * build (22 KB gzipped; the package's ES module build is not minified), which sets `window.uPlot`.
 * A <script> and a <link> from this origin, as the CSP allows. Every chart loads it through here.
 * @returns {Promise<any>}
 */
export function loadUplot() {
  const w = /** @type {any} */ (window);
  if (w.uPlot) return Promise.resolve(w.uPlot);
  if (!loading) {
    if (!document.querySelector(`link[href="${UPLOT_CSS}"]`)) document.head.append(h('link', { rel: 'stylesheet', href: UPLOT_CSS }));
    loading = new Promise((resolve, reject) => {
      const script = h('script', { src: UPLOT_JS });
      script.addEventListener('load', () => resolve(w.uPlot));
      script.addEventListener('error', () => {
        loading = null;
        script.remove();
        reject(new Error('the chart library could not be loaded'));
      });
      document.head.append(script);
    });
  }
  return loading;
}
