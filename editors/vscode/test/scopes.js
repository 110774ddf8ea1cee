// Tokenizes files with the extension's TextMate grammar, as VS Code does
// (vscode-textmate on Oniguruma), and prints, for each file, each line's
// tokens as [start, end, scopes] in UTF-16 code units. Used by
// tests/editors.rs to count the tokens left without a scope.
'use strict';
const fs = require('fs');
const path = require('path');
const textmate = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

async function main() {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () => {
      const file = path.join(__dirname, '..', 'syntaxes', 'sls.tmLanguage.json');
      return textmate.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  const grammar = await registry.loadGrammar('source.sls');
  const out = {};
  for (const file of process.argv.slice(2)) {
    let state = textmate.INITIAL;
    out[file] = fs.readFileSync(file, 'utf8').split('\n').map((line) => {
      const result = grammar.tokenizeLine(line.replace(/\r$/, ''), state);
      state = result.ruleStack;
      return result.tokens.map((t) => [t.startIndex, t.endIndex, t.scopes]);
    });
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
