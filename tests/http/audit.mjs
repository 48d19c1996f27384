// The graphql-http server audit (GraphQL over HTTP, every MUST and SHOULD)
// against a running gongkai: node audit.mjs http://127.0.0.1:8000/graphql
// Exits non-zero on any error or warning (notices, the spec's MAYs, are shown).
import { serverAudits } from 'graphql-http';

const url = process.argv[2] ?? process.env.GONGKAI_GRAPHQL_URL;
if (!url) {
  console.error('usage: node audit.mjs <graphql endpoint URL>');
  process.exit(2);
}

let failed = 0;
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  const result = await audit.fn();
  if (result.status === 'ok') {
    console.log(`ok    ${audit.name}`);
    continue;
  }
  if (result.status !== 'notice') failed += 1;
  console.log(`${result.status.padEnd(5)} ${audit.name}: ${result.reason}`);
  if (result.response) {
    const body = await result.response.text().catch(() => '');
    console.log(`      ${result.response.status} ${result.response.headers.get('content-type')} ${body.slice(0, 300)}`);
  }
}
console.log(failed === 0 ? 'graphql-http audit: all passed' : `graphql-http audit: ${failed} not ok`);
process.exit(failed === 0 ? 0 : 1);
