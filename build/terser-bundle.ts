import { minify, type MinifyOptions } from 'terser';
import type { Plugin } from 'vite';
import { leanDecorate } from './lean-decorate.js';
import { decodeMappings, encodeMappings } from './source-map-mappings.js';

/**
 * Terser's compress pass over the script-tag build's chunks, after Rolldown's
 * own minifier (which this build keeps: terser on the unminified output came
 * out larger). `pure_getters`: reading a property has no side effect and
 * does not throw (neither Lit nor our code reads one for that), so unused
 * reads and temporaries go. dist/pos-widgets.js (brotli): 19.73 KB without
 * this pass, 19.63 KB without `pure_getters`, 19.51 KB as here; other options
 * (passes, unsafe_arrows, keep_fargs, sequences, mangling again) moved it by
 * under 0.05 KB either way, as any small change of the input does.
 *
 * The source map stays correct: terser maps its output onto Rolldown's map,
 * so `sources` (what the tarball test reads to check the licences),
 * `sourcesContent` and `ignoreList` still name the original files.
 */
export const TERSER_OPTIONS: MinifyOptions = {
  module: true,
  ecma: 2022,
  compress: { passes: 2, pure_getters: true },
  // Rolldown has already given every local a short name: terser keeps them (and the map's names).
  mangle: false,
  format: { comments: false },
};

export function terserBundle(options: MinifyOptions = TERSER_OPTIONS): Plugin {
  return {
    name: 'pos:terser-bundle',
    apply: 'build',
    async generateBundle(_output, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const mapFile = chunk.sourcemapFileName ?? undefined;
        const mapAsset = mapFile ? bundle[mapFile] : undefined;
        // The map's URL comment Rolldown has appended: put back after the code.
        const comment = /\n\/\/# sourceMappingURL=[^\n]*\n?$/.exec(chunk.code)?.[0] ?? '';
        const code = leanDecorate(comment ? chunk.code.slice(0, -comment.length) : chunk.code, chunk.fileName);
        const before = chunk.map ? (JSON.parse(chunk.map.toString()) as RawMap) : undefined;
        const result = await minify(
          { [chunk.fileName]: code },
          before
            ? { ...options, sourceMap: { content: before as never, includeSources: true, filename: chunk.fileName, asObject: true } }
            : options,
        );
        chunk.code = result.code! + comment;
        if (!before || !result.map) continue;
        const after = withOriginalNamesOnly(result.map as RawMap, before);
        // Terser does not carry the list of sources debuggers skip (Lit's files): map it by name.
        const ignored = new Set((before.ignoreList ?? []).map((i) => before.sources[i]));
        if (ignored.size) after.ignoreList = after.sources.flatMap((s, i) => (ignored.has(s) ? [i] : []));
        // The .map file is already an asset of the bundle: its text is what gets written.
        if (mapAsset?.type !== 'asset') throw new Error(`${chunk.fileName}: no source map asset to update`);
        mapAsset.source = JSON.stringify(after);
      }
    },
  };
}

/**
 * Terser names every mapped identifier after its input token (Rolldown's
 * minified `e`, `t`) where the input map has no name: keep a segment's name
 * only where Rolldown's map names that same original position so.
 */
function withOriginalNamesOnly(after: RawMap, before: RawMap): RawMap {
  const key = (map: RawMap, [, source, line, column, name]: number[]) => `${map.sources[source!]}:${line}:${column}:${map.names[name!]}`;
  const named = new Set(decodeMappings(before.mappings).flatMap((line) => line.filter((s) => s.length === 5).map((s) => key(before, s))));
  const names: string[] = [];
  const index = new Map<string, number>();
  const lines = decodeMappings(after.mappings).map((line) =>
    line.map((segment) => {
      if (segment.length < 5) return segment;
      const name = after.names[segment[4]!]!;
      if (!named.has(key(after, segment))) return segment.slice(0, 4);
      if (!index.has(name)) index.set(name, names.push(name) - 1);
      return [...segment.slice(0, 4), index.get(name)!];
    }),
  );
  return { ...after, names, mappings: encodeMappings(lines) };
}

interface RawMap {
  version: number;
  file?: string;
  sources: string[];
  sourcesContent?: (string | null)[];
  names: string[];
  mappings: string;
  ignoreList?: number[];
}
