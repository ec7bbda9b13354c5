import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before } from "node:test"
import { createEventBus, createInProcessPubSub } from "@xionimus/bus"
import { openStore, type Store } from "@xionimus/store"
import { eventBusContract, pubSubContract } from "@xionimus/testing"

let directory: string
let store: Store
before(async () => {
  directory = await mkdtemp(join(tmpdir(), "xionimus-bus-"))
  store = await openStore({ sqlitePath: join(directory, "xionimus.sqlite") })
})
after(async () => {
  await store?.close()
  await rm(directory, { recursive: true, force: true })
})

pubSubContract("in-process", async () => {
  const pubsub = createInProcessPubSub()
  return {
    pubsub,
    channelListeners: async (channel) => pubsub.listenerCount(channel),
    close: () => pubsub.close(),
  }
})

eventBusContract("in-process over SQLite", async () => {
  const pubsub = createInProcessPubSub()
  const bus = createEventBus({ log: store.events, pubsub })
  return {
    bus,
    log: store.events,
    channelListeners: async (channel) => pubsub.listenerCount(channel),
    close: () => bus.close(),
  }
})
