/**
 * @custom-elements-manifest/analyzer configuration (`npm run build:manifest`):
 * dist/custom-elements.json from the element classes' types, decorators and
 * JSDoc (`@summary`, `@fires`/`@event`, `@csspart`, `@cssprop`, `@slot`).
 */
export default {
  globs: [
    'components/*/*.component.ts', // the classes
    'components/{specialization-picker,training-picker,tag-picker,trigger-select,pptx-export-progress}/*.ts', // their define() calls
    'components/internal/{picker,selection-field}.ts', // the pickers' base classes
  ],
  exclude: ['components/react.ts', 'components/index.ts', 'components/**/*.styles.ts', 'components/**/*.strings.ts'],
  outdir: 'dist',
  litelement: true,
  // package.json's `customElements` field is written by hand, not by the analyzer on every build.
  packagejson: false,
  plugins: [registeredWithDefine(), withoutPrivateMembers()],
};

/**
 * The elements are registered with components/internal/define.ts's guarded
 * `define(tag, Class)`, which the analyzer does not know (it looks for
 * `customElements.define`): record those calls as custom-element definitions
 * and give each class its tag name, so tools can map `<pos-…>` to its class.
 */
function registeredWithDefine() {
  const definitions = [];
  return {
    name: 'pos-registered-with-define',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'define') return;
      const [tag, element] = node.arguments;
      if (!tag || !element || !ts.isStringLiteral(tag) || !ts.isIdentifier(element)) return;
      definitions.push({ tag: tag.text, className: element.text });
      moduleDoc.exports ??= [];
      moduleDoc.exports.push({ kind: 'custom-element-definition', name: tag.text, declaration: { name: element.text } });
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const { tag, className } of definitions) {
        for (const mod of customElementsManifest.modules) {
          const declaration = mod.declarations?.find((d) => d.kind === 'class' && d.name === className);
          if (!declaration) continue;
          declaration.tagName = tag;
          declaration.customElement = true;
          // Point the definition exports at the module that declares the class.
          for (const m of customElementsManifest.modules) {
            for (const e of m.exports ?? []) {
              if (e.kind === 'custom-element-definition' && e.name === tag) e.declaration = { name: className, module: mod.path };
            }
          }
        }
      }
    },
  };
}

/**
 * Private members (`#name`, and TypeScript `private` ones such as Lit's
 * `@state` fields) are not API: tools that read the manifest (IDE completion,
 * Storybook controls, docs) would offer them. Public and protected members
 * (the latter for subclasses) stay.
 */
function withoutPrivateMembers() {
  return {
    name: 'pos-without-private-members',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          if (declaration.members)
            declaration.members = declaration.members.filter((m) => m.privacy !== 'private' && !m.name.startsWith('#'));
        }
      }
    },
  };
}
