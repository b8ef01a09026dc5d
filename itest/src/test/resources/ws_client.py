#!/usr/bin/python3
"""MQTT over WebSocket with Eclipse Paho (Debian's python3-paho-mqtt), for the black-box tests.

    ws_client.py <port> <path> <ca file or -> sub <topic>            prints READY after SUBACK, then MSG <topic> <payload>
    ws_client.py <port> <path> <ca file or -> pub <topic> <payload>  publishes at QoS 1, exits 0 once acknowledged

A CA file means wss:// (TLS, hostname checked against 127.0.0.1). Exits 2 if the connection is refused or fails.
"""
import sys
import threading

import paho.mqtt.client as mqtt

port, path, ca, mode, topic = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
done = threading.Event()
result = {"code": 2}

client = mqtt.Client(client_id="", clean_session=True, transport="websockets")
client.ws_set_options(path=path)
if ca != "-":
    client.tls_set(ca_certs=ca)


def on_connect(c, userdata, flags, rc):
    if rc != 0:
        print("CONNACK %d" % rc, flush=True)
        done.set()
        return
    if mode == "sub":
        c.subscribe(topic, qos=1)
    else:
        c.publish(topic, sys.argv[6], qos=1)


def on_subscribe(c, userdata, mid, granted_qos):
    print("READY", flush=True)


def on_message(c, userdata, message):
    print("MSG %s %s" % (message.topic, message.payload.decode("utf-8")), flush=True)


def on_publish(c, userdata, mid):
    result["code"] = 0
    done.set()


def on_disconnect(c, userdata, rc):
    done.set()


client.on_connect = on_connect
client.on_subscribe = on_subscribe
client.on_message = on_message
client.on_publish = on_publish
client.on_disconnect = on_disconnect
try:
    client.connect("127.0.0.1", port, keepalive=30)
except Exception as e:  # refused, TLS failure
    print("ERROR %s" % e, flush=True)
    sys.exit(2)
client.loop_start()
done.wait(30)
client.disconnect()
client.loop_stop()
sys.exit(result["code"])
