// Apollo Client's persisted-query link against a running gongkai:
// node persisted-queries.mjs http://127.0.0.1:8000/graphql
// The first run of a query sends its hash, is told PERSISTED_QUERY_NOT_FOUND
// and sends the text once; a second run sends the hash alone (by GET, so a
// cache in front may keep it). Every request is seen through a custom fetch.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries';

const url = process.argv[2] ?? process.env.GONGKAI_GRAPHQL_URL;
if (!url) {
  console.error('usage: node persisted-queries.mjs <graphql endpoint URL>');
  process.exit(2);
}

/** What each request carried: its method, and the query text if any. */
const sent = [];
const recordingFetch = async (input, init = {}) => {
  const method = (init.method ?? 'GET').toUpperCase();
  let query;
  let extensions;
  if (method === 'GET') {
    const params = new URL(String(input)).searchParams;
    query = params.get('query') ?? undefined;
    extensions = params.get('extensions') ? JSON.parse(params.get('extensions')) : undefined;
  } else {
    const body = JSON.parse(init.body);
    query = body.query;
    extensions = body.extensions;
  }
  const response = await fetch(input, init);
  sent.push({ method, query, hash: extensions?.persistedQuery?.sha256Hash, status: response.status });
  return response;
};

const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const client = new ApolloClient({
  link: createPersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
    new HttpLink({ uri: url, fetch: recordingFetch }),
  ),
  cache: new InMemoryCache(),
});

// A name unique to this run, so that the server has never seen the text.
const name = `Organizations${Date.now()}`;
const query = gql(`query ${name} { organizations { id code name } }`);

const first = await client.query({ query, fetchPolicy: 'network-only' });
assert.ok(first.data.organizations.length > 0, 'the first run answers');
const second = await client.query({ query, fetchPolicy: 'network-only' });
assert.deepEqual(second.data, first.data, 'the second run answers the same');

console.log(sent);
assert.equal(sent.length, 3, 'hash, hash and text, hash');
const [miss, withText, hashOnly] = sent;
assert.equal(miss.query, undefined, 'the first request carries only the hash');
assert.ok(miss.hash, 'the first request carries the hash');
assert.ok(withText.query?.includes(name), 'after PERSISTED_QUERY_NOT_FOUND the text is sent once');
assert.equal(hashOnly.query, undefined, 'the second run carries no query text');
assert.equal(hashOnly.hash, miss.hash);
assert.equal(hashOnly.method, 'GET', 'a hashed query goes by GET');
console.log('persisted queries: the second request carried no query text');
