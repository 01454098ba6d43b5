#!/usr/bin/env node
// Build the generated front-end files that are committed beside their sources:
//
//   static/img/icons.svg  one <symbol> per Bootstrap icon the templates and scripts use
//   static/dist/app.css   Bootstrap (only the rules the markup can use), tokens.css, site.css,
//                         with every dark rule repeated for prefers-color-scheme, minified
//   static/dist/offcanvas.js  Bootstrap's offcanvas (the phone's sidebar), the one component of
//                         its JavaScript the pages use, as window.bootstrap.Offcanvas
//
//   node bin/build-assets.mjs           write them
//   node bin/build-assets.mjs --check   write nothing; exit 1 if a committed file is stale
//
// PYTHON names the interpreter that has the project's requirements (default .venv/bin/python,
// else python3): crispy-bootstrap5's templates hold Bootstrap classes the forms use.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";
import { transform } from "lightningcss";
import postcss from "postcss";
import { PurgeCSS } from "purgecss";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const MODULES = join(ROOT, "node_modules");
const SPRITE = join(ROOT, "static/img/icons.svg");
const STYLESHEET = join(ROOT, "static/dist/app.css");
const SCRIPT = join(ROOT, "static/dist/offcanvas.js");
const OWN_CSS = ["static/css/tokens.css", "static/css/site.css"];

// Where icon names are written: {% icon "name" %} in templates; in scripts, a sprite
// reference ("icons.svg#name") or a Bootstrap Icons class ("bi-name").
const TEMPLATE_ICON = /\{%\s*icon\s+["']([a-z0-9-]+)["']/g;
const SCRIPT_ICON = /(?:icons\.svg#|\bbi-)([a-z0-9]+(?:-[a-z0-9]+)*)/g;

// Classes that only scripts add, so no template names them: Bootstrap's offcanvas and
// its backdrop while they open and close, and htmx's request and swap states.
const SAFELIST = [
  "show",
  "showing",
  "hiding",
  "fade",
  "offcanvas-backdrop",
  /^htmx-/,
];

/** Return the files below `folder` (absolute, or from the project root) whose names end in `suffix`. */
const files = (folder, suffix) =>
  readdirSync(resolve(ROOT, folder), { recursive: true })
    .filter((path) => path.endsWith(suffix))
    .sort()
    .map((path) => resolve(ROOT, folder, path));
const templates = () => files("templates", ".html");
const scripts = () => files("static/js", ".js");
// The apps' own code (a form's widget classes, MESSAGE_TAGS), not their tests.
const python = () =>
  ["accounts", "pages", "todos", "django_project"]
    .flatMap((app) => files(app, ".py"))
    .filter((path) => !/\/(tests|migrations)\//.test(path));

function crispyTemplates() {
  const python =
    process.env.PYTHON ||
    (existsSync(join(ROOT, ".venv/bin/python")) ? join(ROOT, ".venv/bin/python") : "python3");
  const folder = execFileSync(
    python,
    ["-c", "import crispy_bootstrap5, pathlib; print(pathlib.Path(crispy_bootstrap5.__file__).parent / 'templates')"],
    { encoding: "utf8" },
  ).trim();
  // Only what {{ form|crispy }} renders: not the layout objects Ticklist never uses.
  return files(folder, ".html").filter((path) => !/accordion|modal|tab|formset/.test(relative(folder, path)));
}

/** Return the icon names the templates and scripts use, sorted. */
export function iconNames() {
  const names = new Set();
  for (const [paths, pattern] of [
    [templates(), TEMPLATE_ICON],
    [scripts(), SCRIPT_ICON],
  ]) {
    for (const path of paths) {
      for (const match of readFileSync(path, "utf8").matchAll(pattern)) names.add(match[1]);
    }
  }
  return [...names].sort();
}

function sprite(names) {
  const symbols = names.map((name) => {
    const path = join(MODULES, "bootstrap-icons/icons", `${name}.svg`);
    if (!existsSync(path)) throw new Error(`No Bootstrap icon called "${name}" (${relative(ROOT, path)})`);
    const svg = readFileSync(path, "utf8");
    const viewBox = svg.match(/viewBox="([^"]+)"/)[1];
    const body = svg.replace(/^[\s\S]*?<svg[^>]*>|<\/svg>\s*$/g, "").replace(/\s*\n\s*/g, "");
    return `<symbol id="${name}" viewBox="${viewBox}" fill="currentColor">${body}</symbol>`;
  });
  const version = JSON.parse(readFileSync(join(MODULES, "bootstrap-icons/package.json"))).version;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg">` +
    `<!-- Bootstrap Icons ${version} (MIT), built by bin/build-assets.mjs: do not edit. -->\n` +
    `${symbols.join("\n")}\n</svg>\n`
  );
}

// [data-bs-theme=dark] standing alone as the first compound of a selector, with or without quotes.
const DARK = /^\[data-bs-theme=(["']?)dark\1\](?=$|[\s>+~])/;
// The device's dark theme applies unless the page chose light. :where() keeps the
// specificity of the selector it replaces (one attribute = :root), so the repeated rule
// wins or loses against the others exactly as the explicit one does.
const DEVICE_DARK = ":root:not(:where([data-bs-theme=light]))";

/**
 * Repeat every rule for [data-bs-theme=dark] inside @media (prefers-color-scheme: dark), for
 * pages whose <html> names no theme, right after the rule so the cascade order is the same.
 * A selector that scopes the theme to an element (.navbar[data-bs-theme=dark]) is left alone:
 * that element asks for dark whatever the device says.
 */
const darkFromDevice = () => ({
  postcssPlugin: "dark-from-device",
  Once(root) {
    root.walkRules((rule) => {
      if (rule.parent.type === "atrule" && rule.parent.params === "(prefers-color-scheme: dark)")
        return;
      const selectors = rule.selectors
        .map((selector) => selector.trim())
        .filter((selector) => DARK.test(selector))
        .map((selector) => selector.replace(DARK, DEVICE_DARK));
      if (!selectors.length) return;
      const media = postcss.atRule({ name: "media", params: "(prefers-color-scheme: dark)" });
      media.append(rule.clone({ selectors }));
      rule.after(media);
    });
  },
});

async function stylesheet() {
  const bootstrapPath = join(MODULES, "bootstrap/dist/css/bootstrap.css");
  const bootstrap = readFileSync(bootstrapPath, "utf8").replace(/\/\*# sourceMappingURL=.*?\*\//, "");
  const own = OWN_CSS.map((path) => readFileSync(join(ROOT, path), "utf8"));
  // Bootstrap's custom properties that nothing reads are dropped too, except those our
  // CSS and scripts read or set (tokens.css maps its tokens onto Bootstrap's).
  const ours = [...own, ...scripts().map((path) => readFileSync(path, "utf8"))].join("\n");
  const variables = [...new Set(ours.match(/--bs-[\w-]+/g))];
  const [purged] = await new PurgeCSS().purge({
    content: [...templates(), ...scripts(), ...python(), ...crispyTemplates()],
    css: [{ raw: bootstrap }],
    safelist: { standard: SAFELIST, variables },
    variables: true,
    // Keep the theme rules whatever the templates happen to spell out.
    dynamicAttributes: ["data-bs-theme"],
    keyframes: true,
  });
  const banner = bootstrap.match(/\/\*![\s\S]*?\*\//)[0];
  const source = [purged.css, ...own].join("\n");
  const themed = await postcss([darkFromDevice()]).process(source, { from: undefined });
  const { code } = transform({ filename: "app.css", code: Buffer.from(themed.css), minify: true });
  return `${banner}\n/* Built by bin/build-assets.mjs from Bootstrap, ${OWN_CSS.join(" and ")}: do not edit. */\n${code}\n`;
}

async function script() {
  const version = JSON.parse(readFileSync(join(MODULES, "bootstrap/package.json"))).version;
  const { outputFiles } = await build({
    stdin: {
      contents:
        'import Offcanvas from "bootstrap/js/src/offcanvas.js";\n' +
        "window.bootstrap = { ...window.bootstrap, Offcanvas };\n",
      resolveDir: ROOT,
    },
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2020",
    legalComments: "none",
    write: false,
  });
  return (
    `/*! Bootstrap v${version} offcanvas (MIT, https://github.com/twbs/bootstrap/blob/main/LICENSE), ` +
    `built by bin/build-assets.mjs: do not edit. */\n${outputFiles[0].text}`
  );
}

async function main() {
  const check = process.argv.includes("--check");
  const outputs = [
    [SPRITE, sprite(iconNames())],
    [STYLESHEET, await stylesheet()],
    [SCRIPT, await script()],
  ];
  let stale = 0;
  for (const [path, text] of outputs) {
    const name = relative(ROOT, path);
    const current = existsSync(path) ? readFileSync(path, "utf8") : null;
    if (check) {
      if (current !== text) {
        console.error(`${name} is stale: run 'make assets' (node bin/build-assets.mjs) and commit it.`);
        stale += 1;
      }
    } else if (current !== text) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      console.log(`wrote ${name} (${Buffer.byteLength(text)} bytes)`);
    }
  }
  process.exit(stale ? 1 : 0);
}

await main();
