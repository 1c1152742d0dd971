/// <reference types="@fastly/js-compute" />
// The example guest behind /hello/ in examples/edge.toml.
//   GET /hello/        a greeting from the config store, with the subject the edge validated, if any
//   GET /hello/origin  the same greeting plus what the balancer's origin answered to /api/public/from-guest
import { ConfigStore } from "fastly:config-store";

addEventListener("fetch", (event) => event.respondWith(handle(event.request)));

async function handle(request) {
  const url = new URL(request.url);
  const greeting = new ConfigStore("greetings").get("text") ?? "hello";
  const subject = request.headers.get("x-gatehouse-subject");
  if (url.pathname !== "/hello/origin") {
    return json({ greeting, subject }, 200);
  }

  // The edge gives the balancer request its own request id and a signed edge assertion.
  const upstream = await fetch(new Request(`${url.origin}/api/public/from-guest`), { backend: "balancer" });
  const origin = await upstream.text();
  return json({ greeting, subject, origin_status: upstream.status, origin }, 200);
}

function json(value, status) {
  return new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });
}
