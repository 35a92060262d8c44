// The script-tag build: one minified IIFE, js-cookie included, for <script src=".../waypost.js">.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

/**
 * Code of js-cookie 3.0.8 that the script tag can never run, removed because the budget is 2,048 bytes gzip
 * (it saves about 100). js-cookie builds its API as one object, so no bundler can drop the methods the
 * tracker never calls (`remove`, `withAttributes`, `withConverter`) nor the frozen properties only they read; the Cookies
 * object never leaves the IIFE. The `typeof document` guards are for Node, and the IIFE runs only in a browser;
 * `get()` without a name (every cookie) is never called.
 * Each edit must apply exactly, so that a changed js-cookie fails the build instead of shipping unexamined.
 */
const JS_COOKIE_DEAD_CODE = [
  ['return Object.create(', 'return ('],
  [
    `,
      remove: function (name, attributes) {
        set(
          name,
          '',
          assign({}, attributes, {
            expires: -1
          })
        );
      },
      withAttributes: function (attributes) {
        return init(this.converter, assign({}, this.attributes, attributes))
      },
      withConverter: function (converter) {
        return init(assign({}, this.converter, converter), this.attributes)
      }
    },
    {
      attributes: { value: Object.freeze(defaultAttributes) },
      converter: { value: Object.freeze(converter) }
    }`,
    '\n    }',
  ],
  ["if (typeof document === 'undefined') {\n      return\n    }", ''],
  ["if (typeof document === 'undefined' || (arguments.length && !name)) {\n      return\n    }", ''],
  ['return name ? jar[name] : jar', 'return jar[name]'],
];

const dropJsCookieDeadCode = () => ({
  name: 'drop-js-cookie-dead-code',
  transform(code, id) {
    if (!/[\\/]js-cookie@3\.0\.8[\\/].*[\\/]js\.cookie\.mjs$/.test(id)) {
      if (/[\\/]js-cookie[\\/]/.test(id)) this.error(`unexpected js-cookie module ${id}: review JS_COOKIE_DEAD_CODE`);
      return null;
    }
    for (const [from, to] of JS_COOKIE_DEAD_CODE) {
      if (code.split(from).length != 2) this.error(`js-cookie changed: review JS_COOKIE_DEAD_CODE (${JSON.stringify(from.slice(0, 40))})`);
      code = code.replace(from, to);
    }
    return { code, map: null };
  },
});

export default {
  input: 'src/entrypoints/script.ts',
  output: { file: 'dist/waypost.js', format: 'iife', strict: false },
  plugins: [
    nodeResolve({ browser: true }),
    dropJsCookieDeadCode(),
    typescript({
      tsconfig: './tsconfig.json',
      include: ['src/**/*.ts'],
      compilerOptions: { noEmit: false, declaration: false, target: 'ES2020', types: [] },
    }),
    terser({
      ecma: 2020,
      compress: { passes: 2, unsafe_arrows: true },
      // Everything is local to the IIFE, so every name but the `waypost` global and the API may be mangled.
      mangle: { toplevel: true },
      format: { comments: false },
    }),
  ],
};
