/**
 * The persistence SPI: how a store bundle keeps the broker's durable state and gives it back at start, as
 * Mosquitto's {@code MOSQ_EVT_PERSIST_*} plugin events do.
 *
 * <h2>The model</h2>
 * A store registers a {@link io.culex.api.persistence.PersistenceListener} service. The broker then
 * <ol>
 *   <li>asks it to {@linkplain io.culex.api.persistence.PersistenceListener#restore restore} what it holds, before
 *       any listener accepts a client when the configuration says {@code persistence true} (the broker does not
 *       open its listeners until a store has restored), or merged into the running state when the store is
 *       installed at run time;</li>
 *   <li>hands it a snapshot of the running state it did not restore (so a store installed at run time starts
 *       complete);</li>
 *   <li>tells it of every change from then on: sessions saved and removed, subscriptions added and removed,
 *       outgoing messages queued, sent, released and removed, incoming QoS 2 packet identifiers, retained messages
 *       set and cleared;</li>
 *   <li>and, before it acknowledges a QoS 1 or 2 PUBLISH (PUBACK, PUBREC) that made something the store keeps (a
 *       queue entry of a stored session, a retained message, a stored QoS 2 packet id), waits for
 *       {@link io.culex.api.persistence.PersistenceListener#sync()}: what the broker acknowledged is durable. A
 *       PUBLISH that made nothing the store keeps is acknowledged without waiting.</li>
 * </ol>
 *
 * <h2>What is persisted</h2>
 * Only sessions that outlive their connection (MQTT 5 session expiry &gt; 0, MQTT 3.x clean session false) and
 * what belongs to them; clean sessions produce no events. Retained messages, except those under {@code $SYS/}.
 * QoS 0 messages written straight to a connected client are not events; queued ones are.
 *
 * <h2>Identities</h2>
 * A message has an {@linkplain io.culex.api.persistence.PersistedMessage#id() id} unique among the messages of
 * this broker and of every earlier run (ids grow with time), so that many sessions' outgoing entries and the
 * retained entry can refer to one stored payload. An outgoing entry is identified by its session's client id and
 * its {@linkplain io.culex.api.persistence.PersistedOutgoing#entryId() entry id}, increasing in queue order within
 * the session; the same message may be queued twice for one session (overlapping shared and non-shared
 * subscriptions), as two entries.
 *
 * <h2>Threading and order</h2>
 * Events arrive on the broker's network threads, concurrently for different sessions; the events of one session
 * arrive one at a time and in order (a session moving between threads keeps the order: the hand-over is a
 * happens-before edge). Retained events arrive in the order the retained store applied them. Listener methods
 * must not block: append to a buffer and write from a thread of your own (group commit), and complete the stages
 * of {@code sync()} from there.
 *
 * <h2>Failures</h2>
 * An exception thrown by an event method is logged with the store's bundle and otherwise ignored. A stage of
 * {@code sync()} that completes exceptionally (a full disk) makes the broker refuse the publish it guarded: an
 * MQTT 5 publisher gets PUBACK or PUBREC with reason code 0x80 (unspecified error), an MQTT 3.x publisher is
 * disconnected without acknowledgement so that it sends again. Online subscribers may already have received the
 * message (QoS 1 allows the duplicate a retry brings).
 *
 * <h2>Dynamics</h2>
 * Installing a store at run time restores and snapshots as above; uninstalling it stops the events (logged) and
 * the broker goes on in memory. Several stores may be registered (e.g. a store and a replica); each receives
 * every event and {@code sync()} waits for all of them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.culex.api.persistence;
