/**
 * The long connection's frame (protobuf `pbbp2.Frame`), as @larksuiteoapi/node-sdk 1.74 encodes
 * it in lib/index.js: fields 1–4 are required (the SDK's decoder throws without them), headers
 * are key/value pairs such as type=event|ping|pong, message_id, sum, seq, trace_id.
 * Method 0 is a control frame (ping/pong), 1 a data frame (events and their acks).
 */
import protobuf from "protobufjs";

const root = protobuf.Root.fromJSON({
  nested: {
    pbbp2: {
      nested: {
        Header: { fields: { key: { rule: "required", type: "string", id: 1 }, value: { rule: "required", type: "string", id: 2 } } },
        Frame: {
          fields: {
            SeqID: { rule: "required", type: "uint64", id: 1 },
            LogID: { rule: "required", type: "uint64", id: 2 },
            service: { rule: "required", type: "int32", id: 3 },
            method: { rule: "required", type: "int32", id: 4 },
            headers: { rule: "repeated", type: "Header", id: 5 },
            payloadEncoding: { type: "string", id: 6 },
            payloadType: { type: "string", id: 7 },
            payload: { type: "bytes", id: 8 },
            LogIDNew: { type: "string", id: 9 },
          },
        },
      },
    },
  },
});
const FrameType = root.lookupType("pbbp2.Frame");

export interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: 0 | 1;
  headers: { key: string; value: string }[];
  payload?: Uint8Array;
}

export function encodeFrame(f: Frame): Uint8Array {
  return FrameType.encode(FrameType.create(f)).finish();
}

export function decodeFrame(bytes: Uint8Array): Frame {
  const o = FrameType.toObject(FrameType.decode(bytes), { longs: Number, bytes: Buffer, defaults: true }) as Frame;
  return o;
}

export const header = (f: Frame, key: string) => f.headers.find((h) => h.key === key)?.value;
