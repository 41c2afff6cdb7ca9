// Runs graphql-http's GraphQL-over-HTTP server audit against a live server and prints one JSON line:
// [{id, name, status, reason?, status_code?, body?}]. Usage: node audit.mjs http://127.0.0.1:PORT/graphql
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}

const results = await auditServer({ url });
const report = [];
for (const result of results) {
  const entry = { id: result.id, name: result.name, status: result.status };
  if (result.status !== 'ok') {
    entry.reason = result.reason;
    entry.statusCode = result.response.status;
    entry.contentType = result.response.headers.get('content-type');
    entry.body = (await result.response.text()).slice(0, 500);
  }
  report.push(entry);
}
console.log(JSON.stringify(report));
