#!/usr/bin/env node
// A tiny MCP server over stdio (newline-delimited JSON-RPC 2.0) with one tool, lookup_account, for the
// real-Claude-Code integration test. No dependencies: node only.
'use strict';
const readline = require('readline');
const rl = readline.createInterface({ input: process.stdin });
const send = (message) => process.stdout.write(JSON.stringify(message) + '\n');
const TOOL = {
  name: 'lookup_account',
  description: 'Looks up a customer account by a free-text query.',
  inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
};
rl.on('line', (line) => {
  if (!line.trim()) return;
  let request;
  try { request = JSON.parse(line); } catch (e) { return; }
  const { id, method, params } = request;
  if (id === undefined) return; // notifications (notifications/initialized, ...)
  switch (method) {
    case 'initialize':
      send({ jsonrpc: '2.0', id, result: {
        protocolVersion: (params && params.protocolVersion) || '2025-06-18',
        capabilities: { tools: {} },
        serverInfo: { name: 'compliance-probe', version: '1.0.0' } } });
      break;
    case 'tools/list':
      send({ jsonrpc: '2.0', id, result: { tools: [TOOL] } });
      break;
    case 'tools/call':
      send({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'account found: status active' }] } });
      break;
    case 'ping':
      send({ jsonrpc: '2.0', id, result: {} });
      break;
    default:
      send({ jsonrpc: '2.0', id, error: { code: -32601, message: 'method not found: ' + method } });
  }
});
