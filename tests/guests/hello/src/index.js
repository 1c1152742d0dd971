/// <reference types="@fastly/js-compute" />
// The smallest useful guest, for the benchmark in bench/compute: one fixed text response, no hostcalls
// beyond the ones every response needs.
addEventListener("fetch", (event) => event.respondWith(
  new Response("hello", { headers: { "content-type": "text/plain" } }),
));
