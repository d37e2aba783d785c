// TypeDoc plugin: the ```mermaid blocks of the guides become diagrams in the browser, drawn by a
// copy of mermaid shipped inside the site (assets/mermaid.min.js, from the `mermaid` dev
// dependency). Nothing is fetched from a CDN, at build time or when the site is read; pages
// without a diagram never load mermaid. The blocks themselves are left unhighlighted by
// `ignoredHighlightLanguages: ["mermaid"]` in typedoc.json, so they stay readable without script.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { JSX, RendererEvent } from 'typedoc';

const require = createRequire(import.meta.url);

/** Replaces each `<pre><code class="mermaid">` with its diagram, loading mermaid only when one is there. */
const INIT = `(() => {
  const blocks = [...document.querySelectorAll('pre > code.mermaid')];
  if (blocks.length === 0) return;
  const script = document.createElement('script');
  script.src = new URL('mermaid.min.js', document.currentScript.src).href;
  script.onload = () => {
    for (const code of blocks) {
      const diagram = document.createElement('div');
      diagram.className = 'mermaid';
      diagram.textContent = code.textContent;
      code.parentElement.replaceWith(diagram);
    }
    const theme = document.documentElement.dataset.theme;
    const dark = theme === 'dark' || (theme !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: dark ? 'dark' : 'default' });
    mermaid.run({ querySelector: 'div.mermaid' });
  };
  document.head.append(script);
})();
`;

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.renderer.hooks.on('body.end', (context) =>
    JSX.createElement('script', { src: context.relativeURL('assets/mermaid-init.js') }),
  );
  app.renderer.on(RendererEvent.END, (event) => {
    const assets = join(event.outputDirectory, 'assets');
    mkdirSync(assets, { recursive: true });
    copyFileSync(require.resolve('mermaid/dist/mermaid.min.js'), join(assets, 'mermaid.min.js'));
    writeFileSync(join(assets, 'mermaid-init.js'), INIT);
  });
}
