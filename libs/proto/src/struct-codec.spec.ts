import { jsonToStruct, structToJson, StructCodecError } from './struct-codec';
import { dateToTimestamp, timestampToDate } from './timestamp-codec';
import { PROTO_LOADER_OPTIONS } from './loader-options';
import projectJson from '../project.json';

describe('struct codec', () => {
  it('round-trips nested JSON through google.protobuf.Struct', () => {
    const data = { a: 1, b: 'x', c: true, d: null, e: [1, 'two', { f: false }], g: { h: { i: 2.5 } } };
    // proto-loader output types equal the input shapes once `kind` is set.
    expect(structToJson(jsonToStruct(data) as never)).toEqual(data);
  });

  it('rejects values a Struct cannot carry', () => {
    expect(() => jsonToStruct({ a: Number.NaN })).toThrow(StructCodecError);
    expect(() => jsonToStruct({ a: undefined })).toThrow(StructCodecError);
    expect(() => jsonToStruct([] as never)).toThrow(StructCodecError);
    expect(() => jsonToStruct(new Date() as never)).toThrow(StructCodecError);
  });

  it('keeps a "__proto__" key as plain data', () => {
    const data = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const back = structToJson(jsonToStruct(data) as never);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['__proto__', 'a']);
    expect((back as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads a missing struct as an empty object', () => {
    expect(structToJson(null)).toEqual({});
  });
});

describe('timestamp codec', () => {
  it('keeps millisecond precision', () => {
    const d = new Date('2026-01-02T03:04:05.678Z');
    const ts = dateToTimestamp(d);
    expect(ts).toEqual({ seconds: String(Math.floor(d.getTime() / 1000)), nanos: 678_000_000 });
    expect(timestampToDate(ts as never)?.toISOString()).toBe(d.toISOString());
    expect(timestampToDate(null)).toBeNull();
  });
});

describe('codegen flags', () => {
  it('match the loader options so generated types describe runtime objects', () => {
    const cmd: string = projectJson.targets.codegen.options.command;
    expect(cmd).toContain('--keepCase');
    expect(cmd).toContain(`--longs=${PROTO_LOADER_OPTIONS.longs.name}`);
    expect(cmd).toContain(`--enums=${PROTO_LOADER_OPTIONS.enums.name}`);
    expect(cmd.includes('--defaults')).toBe(PROTO_LOADER_OPTIONS.defaults);
    expect(cmd.includes('--oneofs')).toBe(PROTO_LOADER_OPTIONS.oneofs);
  });
});
