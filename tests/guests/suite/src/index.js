/// <reference types="@fastly/js-compute" />
// One guest with a route per scenario, so the tests compile a single 11 MB module.
import { ConfigStore } from "fastly:config-store";
import { SecretStore } from "fastly:secret-store";
import { KVStore } from "fastly:kv-store";
import { RateCounter, PenaltyBox, EdgeRateLimiter } from "fastly:edge-rate-limiter";
import { Acl } from "fastly:acl";
import { vCpuTime } from "fastly:compute";

addEventListener("fetch", (event) => event.respondWith(handle(event)));

const routes = {
  "/hello": async (req) => new Response(`hello from ${new URL(req.url).pathname}`, {
    headers: { "content-type": "text/plain" },
  }),
  "/headers": async (req) => {
    const headers = new Headers();
    headers.set("x-seen", req.headers.get("x-test") ?? "none");
    headers.append("x-multi", "one");
    headers.append("x-multi", "two");
    headers.append("set-cookie", "a=1; Path=/");
    headers.append("set-cookie", "b=2; Path=/");
    headers.append("set-cookie", "c=3; Path=/");
    return new Response("headers", { headers });
  },
  "/echo": async (req) => new Response(await req.text(), { status: 201 }),
  "/tee": async (req) => {
    const [forward, keep] = req.body.tee();
    const upstream = await fetch("http://origin.test/upload", { method: "POST", body: forward, backend: "origin" });
    const kept = await new Response(keep).text();
    return new Response(`${upstream.status}|${await upstream.text()}|${kept.length}`);
  },
  "/fetch": async () => {
    const [one, two] = await Promise.all([
      fetch("http://origin.test/one", { backend: "origin" }),
      fetch("http://origin.test/two", { backend: "origin" }),
    ]);
    return new Response(`${await one.text()}+${await two.text()}`);
  },
  "/slow": async () => {
    try {
      const upstream = await fetch("http://origin.test/slow", { backend: "slow" });
      return new Response(await upstream.text());
    } catch (error) {
      return new Response(`backend failed: ${error.message}`, { status: 504 });
    }
  },
  "/config": async () => {
    const greeting = new ConfigStore("settings").get("greeting");
    const secret = await new SecretStore("credentials").get("token");
    return new Response(`${greeting}|${secret.plaintext()}`);
  },
  "/kv": async (req) => {
    const store = new KVStore("data");
    const value = new URL(req.url).searchParams.get("value");
    await store.put("key", value);
    const entry = await store.get("key");
    return new Response(await entry.text());
  },
  "/erl": async (req) => {
    const counter = new RateCounter("requests");
    const box = new PenaltyBox("blocked");
    const limiter = new EdgeRateLimiter(counter, box);
    const entry = new URL(req.url).searchParams.get("client");
    const blocked = limiter.checkRate(entry, 1, 1, 2, 60);
    const count = counter.lookupCount(entry, 10);
    return new Response(`count=${count}`, { status: blocked ? 429 : 200 });
  },
  "/loop": async () => {
    let n = 0;
    while (n >= 0) {
      n = (n + 1) % 1000;
    }
    return new Response("unreachable");
  },
  "/vcpu": async () => {
    // Burn at least 5 ms of CPU time, as the runtime counts it, then report the count.
    let spins = 0;
    while (vCpuTime() < 5) {
      spins++;
    }
    return new Response(`vcpu=${vCpuTime()};spins=${spins}`);
  },
  "/wait": async () => {
    const upstream = await fetch("http://origin.test/delay", { backend: "origin" });
    return new Response(`waited:${await upstream.text()}`);
  },
  "/silent-timeout": () => new Promise(() => {
    // Never settles, so the runtime, not the guest, must send the 504 once the backend has timed out.
    fetch("http://origin.test/slow", { backend: "slow" }).catch(() => {});
  }),
  "/stream": async () => {
    const encoder = new TextEncoder();
    let index = 0;
    const body = new ReadableStream({
      async pull(controller) {
        if (index === 5) {
          controller.close();
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
        controller.enqueue(encoder.encode(`chunk${index++};`));
      },
    });
    return new Response(body, { headers: { "content-type": "text/plain" } });
  },
  "/kv-list": async () => {
    const store = new KVStore("data");
    for (const key of ["list-a", "list-b", "list-c", "list-d", "list-e"]) {
      await store.put(key, "x");
    }
    const pages = [];
    let cursor;
    do {
      const page = await store.list({ prefix: "list-", limit: 2, cursor });
      pages.push(page.list.join(","));
      cursor = page.cursor;
    } while (cursor !== undefined && pages.length < 10);
    return new Response(pages.join("|"));
  },
  "/heap": async () => {
    const chunks = [];
    for (;;) {
      chunks.push(new Array(1 << 20).fill(chunks.length));
    }
  },
  "/unsupported": async () => {
    try {
      Acl.open("blocklist");
      return new Response("acl opened");
    } catch (error) {
      return new Response(`error: ${error.message}`, { status: 501 });
    }
  },
};

async function handle(event) {
  const path = new URL(event.request.url).pathname;
  const route = routes[path];
  if (!route) {
    return new Response("no such route", { status: 404 });
  }
  return route(event.request);
}
