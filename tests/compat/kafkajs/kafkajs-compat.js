'use strict'

// Drives the unmodified kafkajs 2.2.4 client against a FastMQ broker, one scenario per run, and prints ONE JSON
// object on stdout describing what happened (the xunit tests in tests/FastMQ.IntegrationTests/Compat assert on it).
// Client logs go to stderr. Exit code 0 = the scenario ran to its end (the JSON says what it saw), 1 = kafkajs threw
// (the JSON holds the error, the requests sent and every error response, so a broker bug can be pinned down).
//
// Usage: node kafkajs-compat.js <scenario> --brokers HOST:PORT [--topic T] [options]
//   admin      --topic T [--partitions 3]                       createTopics, duplicate createTopics, metadata, offsets
//   produce    --topic T [--count 1000] [--acks -1|1] [--compression none|gzip] [--batch 100]
//   read       --topic T [--count N] [--timeout-ms 20000] [--tail-wait-ms 500]
//                                                               low-level Fetch on each partition leader (no group),
//                                                               then one long-polling Fetch at the end of partition 0
//   consume    --topic T [--count N] [--group G] [--timeout-ms 30000]   consumer group from the beginning
//   idempotent --topic T [--count 500] [--batch 50]              idempotent producer, then a re-sent duplicate batch
//   autocreate --topic T [--count 10]                           producer to a topic that does not exist yet

const { Kafka, logLevel, CompressionTypes, CompressionCodecs, Partitioners } = require('kafkajs')

const args = parseArgs(process.argv.slice(2))
const scenario = args._[0]
const topic = args.topic
const brokers = (args.brokers || '').split(',').filter(b => b.length > 0)

// Every request kafkajs sends ("Metadata v6") and every error response, read from kafkajs' own debug/error logs.
const requests = new Set()
const errorResponses = []
const counters = { gzipCompress: 0, gzipDecompress: 0 }

// kafkajs' built-in GZIP codec, wrapped only to count its calls: compress calls prove the producer sent gzip
// batches, decompress calls on the read side prove the broker handed back the compressed batches it stored.
const builtinGzip = CompressionCodecs[CompressionTypes.GZIP]()
CompressionCodecs[CompressionTypes.GZIP] = () => ({
  async compress(encoder) {
    counters.gzipCompress++
    return builtinGzip.compress(encoder)
  },
  async decompress(buffer) {
    counters.gzipDecompress++
    return builtinGzip.decompress(buffer)
  },
})

const REQUEST_LOG = /^(?:\[[^\]]*\] )?(Request|Response) (\w+)\(key: (\d+), version: (\d+)\)/

const logCreator = () => ({ level, label, log }) => {
  const m = REQUEST_LOG.exec(log.message)
  if (m && m[1] === 'Request') {
    requests.add(`${m[2]} v${m[4]}`)
  }
  if (m && m[1] === 'Response' && level === logLevel.ERROR) {
    errorResponses.push({ api: `${m[2]} v${m[4]}`, error: log.error, correlationId: log.correlationId })
  }
  if (level <= logLevel.WARN) {
    process.stderr.write(`${label} ${JSON.stringify(log)}\n`)
  }
}

const kafka = new Kafka({
  clientId: 'fastmq-compat',
  brokers,
  logLevel: logLevel.DEBUG,
  logCreator,
  connectionTimeout: 3000,
  requestTimeout: 15000,
  retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2000 },
})

const scenarios = { admin, produce, read, consume, idempotent, autocreate }

main().catch(e => {
  emit({ ok: false, scenario, error: describeError(e) })
  process.exitCode = 1
})

async function main() {
  if (!scenarios[scenario] || brokers.length === 0 || !topic) {
    throw new Error(`usage: kafkajs-compat.js <${Object.keys(scenarios).join('|')}> --brokers HOST:PORT --topic T`)
  }
  const result = await scenarios[scenario]()
  emit({ ok: true, scenario, ...result })
}

function emit(result) {
  result.requests = [...requests].sort()
  result.errorResponses = errorResponses
  result.counters = counters
  process.stdout.write(JSON.stringify(result) + '\n')
}

async function admin() {
  const partitions = int(args.partitions, 3)
  const client = kafka.admin()
  await client.connect()
  try {
    const created = await client.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      waitForLeaders: true,
    })
    // kafkajs answers false (instead of throwing) when every topic already exists: TOPIC_ALREADY_EXISTS is mapped.
    const createdAgain = await client.createTopics({ topics: [{ topic, numPartitions: partitions }] })
    const topics = await client.listTopics()
    const metadata = await client.fetchTopicMetadata({ topics: [topic] })
    const offsets = await client.fetchTopicOffsets(topic)
    const cluster = await client.describeCluster()
    return {
      created,
      createdAgain,
      listed: topics.includes(topic),
      metadata: metadata.topics.map(t => ({
        name: t.name,
        partitions: t.partitions
          .map(p => ({
            partitionId: p.partitionId,
            leader: p.leader,
            replicas: p.replicas,
            isr: p.isr,
            errorCode: p.partitionErrorCode,
          }))
          .sort((a, b) => a.partitionId - b.partitionId),
      })),
      offsets: normaliseOffsets(offsets),
      cluster: { brokers: cluster.brokers.map(b => ({ nodeId: b.nodeId, host: b.host, port: b.port })), controller: cluster.controller },
    }
  } finally {
    await client.disconnect()
  }
}

async function produce() {
  const count = int(args.count, 1000)
  const acks = int(args.acks, -1)
  const batch = int(args.batch, 100)
  const compression = compressionOf(args.compression)
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner })
  await producer.connect()
  const sends = []
  try {
    for (let first = 0; first < count; first += batch) {
      const messages = []
      for (let i = first; i < Math.min(count, first + batch); i++) {
        messages.push(message(i))
      }
      const metadata = await producer.send({ topic, acks, compression, messages })
      sends.push(metadata.map(m => ({ partition: m.partition, errorCode: m.errorCode, baseOffset: m.baseOffset })))
    }
  } finally {
    await producer.disconnect()
  }
  return { sent: count, acks, sends, baseOffsetsIncreasing: baseOffsetsIncrease(sends), offsets: await topicOffsets() }
}

async function read() {
  const count = int(args.count, -1)
  const records = await readAll(int(args['timeout-ms'], 20000))
  const offsets = await topicOffsets()
  const tailWait = await fetchAtEnd(offsets[0].partition, offsets[0].high, int(args['tail-wait-ms'], 500))
  return { ...analyse(records, count, offsets.length), offsets, tailWait }
}

async function consume() {
  const count = int(args.count, 1)
  const timeoutMs = int(args['timeout-ms'], 30000)
  const groupId = args.group || `compat-${topic}`
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500, sessionTimeout: 10000 })
  const records = []
  await consumer.connect()
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true })
    let finish
    let crash = null
    const done = new Promise(resolve => (finish = resolve))
    // A consumer crash (e.g. no group coordinator) is reported as an event, not thrown: end the scenario with it.
    consumer.on(consumer.events.CRASH, e => {
      crash = e.payload.error
      finish()
    })
    await consumer.run({
      eachMessage: async ({ partition, message: m }) => {
        records.push({ partition, offset: m.offset, key: str(m.key), value: str(m.value), producerId: m.batchContext?.producerId })
        if (records.length >= count) {
          finish()
        }
      },
    })
    const timer = setTimeout(finish, timeoutMs)
    await done
    clearTimeout(timer)
    if (crash) {
      throw crash
    }
  } finally {
    await consumer.disconnect()
  }
  // kafkajs commits what it processed after each batch and on disconnect (OffsetCommit v5); read it back (OffsetFetch v4).
  const client = kafka.admin()
  await client.connect()
  try {
    const offsets = await topicOffsets(client)
    const [committed] = await client.fetchOffsets({ groupId, topics: [topic] })
    return {
      ...analyse(records, count, offsets.length),
      offsets,
      committed: committed.partitions.map(p => ({ partition: p.partition, offset: Number(p.offset) })).sort((a, b) => a.partition - b.partition),
    }
  } finally {
    await client.disconnect()
  }
}

async function idempotent() {
  const count = int(args.count, 500)
  const batch = int(args.batch, 50)
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner })
  await producer.connect()
  const sends = []
  try {
    // All but the last message keyed across the partitions; the last one alone to partition 0, so its batch holds a
    // single record whose sequence is (records in partition 0) - 1, which the duplicate below re-sends.
    for (let first = 0; first < count - 1; first += batch) {
      const messages = []
      for (let i = first; i < Math.min(count - 1, first + batch); i++) {
        messages.push(message(i))
      }
      sends.push(await producer.send({ topic, acks: -1, messages }))
    }
    sends.push(await producer.send({ topic, acks: -1, messages: [{ ...message(count - 1), partition: 0 }] }))
  } finally {
    await producer.disconnect()
  }
  const before = await readAll(int(args['timeout-ms'], 20000))
  const duplicate = await resendLastBatch(before)
  const after = await readAll(int(args['timeout-ms'], 20000))
  const offsets = await topicOffsets()
  return {
    sent: count,
    sends: sends.map(s => s.map(m => ({ partition: m.partition, errorCode: m.errorCode, baseOffset: m.baseOffset }))),
    duplicate,
    ...analyse(after, count, offsets.length),
    offsets,
  }
}

async function autocreate() {
  const count = int(args.count, 10)
  // Producer defaults: allowAutoTopicCreation true, so its Metadata v6 request asks the broker to create the topic.
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner })
  await producer.connect()
  let sent
  try {
    const messages = []
    for (let i = 0; i < count; i++) {
      messages.push(message(i))
    }
    sent = await producer.send({ topic, acks: -1, messages })
  } finally {
    await producer.disconnect()
  }
  const client = kafka.admin()
  await client.connect()
  try {
    const metadata = await client.fetchTopicMetadata({ topics: [topic] })
    return {
      sent: count,
      sends: [sent.map(m => ({ partition: m.partition, errorCode: m.errorCode, baseOffset: m.baseOffset }))],
      partitions: metadata.topics[0].partitions.length,
      offsets: await topicOffsets(client),
    }
  } finally {
    await client.disconnect()
  }
}

// ---- low-level helpers -------------------------------------------------------------------------------------------

// kafkajs has no assign API, so a group-free read goes through the client's own cluster and broker objects: the same
// connection, ApiVersions negotiation and Fetch v11 codec its consumer uses, minus the group protocol.
function lowLevelCluster() {
  const create = Object.getOwnPropertySymbols(kafka).find(s => s.description === 'private:Kafka:createCluster')
  return kafka[create]({ allowAutoTopicCreation: false })
}

async function readAll(timeoutMs) {
  const cluster = lowLevelCluster()
  await cluster.connect()
  try {
    await cluster.addTargetTopic(topic)
    await cluster.refreshMetadata()
    const partitionMetadata = cluster.findTopicPartitionMetadata(topic)
    const ends = await cluster.fetchTopicsOffset([
      { topic, partitions: partitionMetadata.map(p => ({ partition: p.partitionId })), fromBeginning: false },
    ])
    const records = []
    const deadline = Date.now() + timeoutMs
    for (const { partition, offset: end } of ends[0].partitions) {
      const leader = partitionMetadata.find(p => p.partitionId === partition).leader
      const broker = await cluster.findBroker({ nodeId: String(leader) })
      let next = 0
      while (next < Number(end)) {
        if (Date.now() > deadline) {
          throw new Error(`read timed out on partition ${partition} at offset ${next} of ${end}`)
        }
        const response = await broker.fetch({
          replicaId: -1,
          isolationLevel: 1,
          maxWaitTime: 100,
          minBytes: 1,
          maxBytes: 1048576,
          topics: [{ topic, partitions: [{ partition, fetchOffset: String(next), maxBytes: 1048576 }] }],
        })
        const p = response.responses[0].partitions[0]
        if (p.errorCode !== 0) {
          throw new Error(`Fetch v11 partition ${partition} offset ${next}: error code ${p.errorCode}`)
        }
        for (const m of p.messages) {
          if (Number(m.offset) < next) {
            continue // a batch that starts before the requested offset is returned whole
          }
          records.push({
            partition,
            offset: m.offset,
            key: str(m.key),
            value: str(m.value),
            producerId: m.batchContext.producerId,
            producerEpoch: m.batchContext.producerEpoch,
            firstSequence: m.batchContext.firstSequence,
          })
          next = Number(m.offset) + 1
        }
      }
    }
    return records
  } finally {
    await cluster.disconnect()
  }
}

// One Fetch v11 at the end of a partition: with minBytes 1 the broker should hold it for about maxWaitTime (the long
// poll every kafkajs consumer relies on) and then answer with no records and no error.
async function fetchAtEnd(partition, offset, maxWaitTime) {
  const cluster = lowLevelCluster()
  await cluster.connect()
  try {
    await cluster.addTargetTopic(topic)
    await cluster.refreshMetadata()
    const leader = cluster.findTopicPartitionMetadata(topic).find(p => p.partitionId === partition).leader
    const broker = await cluster.findBroker({ nodeId: String(leader) })
    const started = process.hrtime.bigint()
    const response = await broker.fetch({
      replicaId: -1,
      isolationLevel: 1,
      maxWaitTime,
      minBytes: 1,
      maxBytes: 1048576,
      topics: [{ topic, partitions: [{ partition, fetchOffset: String(offset), maxBytes: 1048576 }] }],
    })
    const elapsedMs = Number((process.hrtime.bigint() - started) / 1000000n)
    const p = response.responses[0].partitions[0]
    return { partition, offset, maxWaitTime, elapsedMs, errorCode: p.errorCode, records: p.messages.length, highWatermark: Number(p.highWatermark) }
  } finally {
    await cluster.disconnect()
  }
}

// Re-sends the last batch of partition 0 exactly as the idempotent producer's retry would (same producer id, epoch
// and base sequence). The broker must recognise the duplicate: answer without error and append nothing.
async function resendLastBatch(records) {
  const last = records.filter(r => r.partition === 0).sort((a, b) => Number(a.offset) - Number(b.offset)).pop()
  if (!last) {
    throw new Error('partition 0 holds no records to re-send')
  }
  const cluster = lowLevelCluster()
  await cluster.connect()
  try {
    await cluster.addTargetTopic(topic)
    await cluster.refreshMetadata()
    const leader = cluster.findTopicPartitionMetadata(topic).find(p => p.partitionId === 0).leader
    const broker = await cluster.findBroker({ nodeId: String(leader) })
    const response = await broker.produce({
      acks: -1,
      timeout: 5000,
      producerId: last.producerId,
      producerEpoch: last.producerEpoch,
      topicData: [
        {
          topic,
          partitions: [{ partition: 0, firstSequence: last.firstSequence, messages: [{ key: last.key, value: last.value }] }],
        },
      ],
    })
    const p = response.topics[0].partitions[0]
    return { producerId: last.producerId, firstSequence: last.firstSequence, originalOffset: last.offset, errorCode: p.errorCode, baseOffset: p.baseOffset }
  } finally {
    await cluster.disconnect()
  }
}

async function topicOffsets(existing) {
  const client = existing || kafka.admin()
  if (!existing) {
    await client.connect()
  }
  try {
    return normaliseOffsets(await client.fetchTopicOffsets(topic))
  } finally {
    if (!existing) {
      await client.disconnect()
    }
  }
}

// ---- checks that need kafkajs itself (its partitioner) -----------------------------------------------------------

function analyse(records, expected, partitionCount) {
  const partitioner = Partitioners.DefaultPartitioner()
  const partitionMetadata = Array.from({ length: partitionCount }, (_, i) => ({ partitionId: i, leader: 0 }))
  const values = new Set()
  let duplicates = 0
  let badPairs = 0
  let wrongPartition = 0
  const perPartition = {}
  const producerIds = new Set()
  for (const r of records) {
    if (values.has(r.value)) {
      duplicates++
    }
    values.add(r.value)
    const i = /^value-(\d+)$/.exec(r.value || '')
    if (!i || r.key !== `key-${i[1]}`) {
      badPairs++
    } else if (Number(i[1]) !== expected - 1 || scenario !== 'idempotent') {
      // The idempotent scenario pins its last message to partition 0; every other message goes where its key hashes.
      if (partitioner({ topic, partitionMetadata, message: { key: r.key } }) !== r.partition) {
        wrongPartition++
      }
    }
    perPartition[r.partition] = perPartition[r.partition] || []
    perPartition[r.partition].push(Number(r.offset))
    producerIds.add(r.producerId)
  }
  let offsetGaps = 0
  for (const offsets of Object.values(perPartition)) {
    offsets.forEach((o, k) => {
      if (o !== k) {
        offsetGaps++ // offsets in a fresh partition run 0, 1, 2, … in the order they are read
      }
    })
  }
  const missing = []
  for (let k = 0; k < expected && missing.length < 20; k++) {
    if (!values.has(`value-${k}`)) {
      missing.push(k)
    }
  }
  return {
    received: records.length,
    distinct: values.size,
    duplicates,
    badPairs,
    wrongPartition,
    offsetGaps,
    missing,
    perPartition: Object.fromEntries(Object.entries(perPartition).map(([p, o]) => [p, o.length])),
    producerIds: [...producerIds],
  }
}

function baseOffsetsIncrease(sends) {
  const last = {}
  for (const send of sends) {
    for (const m of send) {
      const offset = Number(m.baseOffset)
      if (m.errorCode !== 0 || (m.partition in last && offset <= last[m.partition])) {
        return false
      }
      last[m.partition] = offset
    }
  }
  return true
}

// ---- small utilities ---------------------------------------------------------------------------------------------

function message(i) {
  return { key: `key-${i}`, value: `value-${i}` }
}

function normaliseOffsets(offsets) {
  return offsets
    .map(o => ({ partition: o.partition, offset: Number(o.offset), high: Number(o.high), low: Number(o.low) }))
    .sort((a, b) => a.partition - b.partition)
}

function compressionOf(name) {
  switch (name || 'none') {
    case 'none':
      return CompressionTypes.None
    case 'gzip':
      return CompressionTypes.GZIP
    default:
      throw new Error(`unknown compression ${name}: kafkajs 2.2.4 has only none and gzip built in`)
  }
}

function str(buffer) {
  return buffer === null || buffer === undefined ? null : buffer.toString('utf8')
}

function int(value, fallback) {
  if (value === undefined) {
    return fallback
  }
  const n = Number(value)
  if (!Number.isInteger(n)) {
    throw new Error(`not an integer: ${value}`)
  }
  return n
}

function describeError(e) {
  return {
    name: e && e.name,
    message: e && e.message,
    type: e && e.type,
    retriable: e && e.retriable,
    cause: e && e.cause ? String(e.cause.stack || e.cause) : undefined,
    stack: e && e.stack,
  }
}

function parseArgs(argv) {
  const out = { _: [] }
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) {
      out[argv[i].slice(2)] = argv[++i]
    } else {
      out._.push(argv[i])
    }
  }
  return out
}
