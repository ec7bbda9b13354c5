import type { EventBus } from "@xionimus/bus"
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client"

/** Prometheus metrics of one app; a registry per app so that several apps in one process do not clash. */
export interface AppMetrics {
  readonly registry: Registry
  /** Seconds from request to response, by method, route pattern and status. */
  readonly httpDuration: Histogram<"method" | "route" | "status_code">
  /** Events appended to the event log through this server, by type. */
  readonly eventAppends: Counter<"type">
}

export function createMetrics(bus: EventBus): AppMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const httpDuration = new Histogram({
    name: "xionimus_http_request_duration_seconds",
    help: "HTTP request duration in seconds, by method, route pattern and status code",
    labelNames: ["method", "route", "status_code"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })
  const eventAppends = new Counter({
    name: "xionimus_event_appends_total",
    help: "Events appended to the event log by this server, by event type",
    labelNames: ["type"] as const,
    registers: [registry],
  })
  new Gauge({
    name: "xionimus_bus_subscribers",
    help: "Live event-bus subscriptions held by this process",
    registers: [registry],
    collect() {
      this.set(bus.subscriberCount)
    },
  })
  return { registry, httpDuration, eventAppends }
}
