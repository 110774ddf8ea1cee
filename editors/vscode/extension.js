// Starts `sls lsp` (the binary named by the `sls.server.path` setting) and
// connects VS Code to it: diagnostics, hover, completion, navigation,
// rename, symbols, semantic tokens and formatting all come from the server.
'use strict';
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function start() {
  const config = vscode.workspace.getConfiguration('sls');
  const command = config.get('server.path') || 'sls';
  const args = ['lsp', ...(config.get('server.extraArgs') || [])];
  client = new LanguageClient(
    'sls',
    'sls language server',
    { command, args },
    { documentSelector: [{ scheme: 'file', language: 'sls' }, { scheme: 'untitled', language: 'sls' }] },
  );
  return client.start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('sls.server')) {
        if (client) {
          await client.stop();
        }
        await start();
      }
    }),
  );
  await start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
