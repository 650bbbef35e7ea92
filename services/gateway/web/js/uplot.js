// @ts-check
import { h } from './dom.js';

const UPLOT_JS = '/vendor/uplot/uPlot.iife.min.js';
const UPLOT_CSS = '/vendor/uplot/uPlot.min.css';

/** @type {Promise<any> | null} */
let loading = null;

/**
 * uPlot, loaded the first time a chart is shown: its minified build, which sets `window.uPlot`
 * (a <script> and a <link> from this origin, as the CSP allows). If another view already added
 * the script (the temperature chart loads it the same way), its load is awaited, not repeated.
 * @returns {Promise<any>}
 */
export function loadUplot() {
  const w = /** @type {any} */ (window);
  if (w.uPlot) return Promise.resolve(w.uPlot);
  if (!loading) {
    if (!document.querySelector(`link[href="${UPLOT_CSS}"]`)) document.head.append(h('link', { rel: 'stylesheet', href: UPLOT_CSS }));
    loading = new Promise((resolve, reject) => {
      const script = /** @type {HTMLScriptElement} */ (document.querySelector(`script[src="${UPLOT_JS}"]`) ?? h('script', { src: UPLOT_JS }));
      script.addEventListener('load', () => resolve(w.uPlot));
      script.addEventListener('error', () => {
        loading = null;
        script.remove();
        reject(new Error('the chart library could not be loaded'));
      });
      if (!script.isConnected) document.head.append(script);
      // Loaded between the check above and now.
      else if (w.uPlot) resolve(w.uPlot);
    });
  }
  return loading;
}
