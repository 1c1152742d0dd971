-- wrk script for bench/soak/run.sh: a fixed request mix at a fixed pace, counted by traffic class.
-- Each wrk thread has one connection (run wrk with -c equal to -t), so a thread's responses arrive in the order
-- of its requests and each response is matched to the request before it.
-- Environment: SOAK_TOKEN (alice's access token), SOAK_DELAY_MS (pause before each request on a connection).

local token = os.getenv("SOAK_TOKEN") or ""
local delay_ms = tonumber(os.getenv("SOAK_DELAY_MS") or "80")

-- One cycle of 10 requests: class, path, expected status, whether it carries alice's token.
local mix = {
    { "allowed", "/api/public/hello", 200, false },
    { "allowed", "/api/orders", 200, true },
    { "guest",   "/hello/", 200, false },
    { "allowed", "/api/public/hello", 200, false },
    { "denied",  "/api/orders", 401, false },
    { "allowed", "/api/public/hello", 200, false },
    { "guest",   "/hello/", 200, false },
    { "allowed", "/api/orders", 200, true },
    { "denied",  "/admin/panel", 403, true },
    { "limited", "/api/public/burst/soak", 429, false },
}

local threads = {}

function setup(thread)
    thread:set("id", #threads + 1)
    table.insert(threads, thread)
end

function init(args)
    position = id % #mix
    pending = nil
    sent, unexpected = {}, {}
    for _, entry in ipairs(mix) do
        sent[entry[1]] = 0
        unexpected[entry[1]] = 0
    end
end

function delay()
    return delay_ms
end

function request()
    position = position % #mix + 1
    pending = mix[position]
    local headers = {}
    if pending[4] then
        headers["Authorization"] = "Bearer " .. token
    end
    return wrk.format("GET", pending[2], headers)
end

function response(status, headers, body)
    local class, expected = pending[1], pending[3]
    sent[class] = sent[class] + 1
    -- The first burst request of a run may pass before the penalty box contains the client.
    if status ~= expected and not (class == "limited" and status == 200) then
        unexpected[class] = unexpected[class] + 1
    end
end

function done(summary, latency, requests)
    local totals_sent, totals_unexpected = {}, {}
    for _, thread in ipairs(threads) do
        for class, count in pairs(thread:get("sent")) do
            totals_sent[class] = (totals_sent[class] or 0) + count
        end
        for class, count in pairs(thread:get("unexpected")) do
            totals_unexpected[class] = (totals_unexpected[class] or 0) + count
        end
    end
    local errors = summary.errors
    io.write(string.format("wrk requests=%d duration_s=%.1f socket_errors=%d timeouts=%d p50_ms=%.1f p99_ms=%.1f\n",
        summary.requests, summary.duration / 1e6,
        errors.connect + errors.read + errors.write, errors.timeout,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000))
    for class, count in pairs(totals_sent) do
        io.write(string.format("class %s sent=%d unexpected=%d\n", class, count, totals_unexpected[class]))
    end
end
