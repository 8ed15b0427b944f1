import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import { loadSessionPackage } from '@session/proto';
import { FileDescriptorProto, type IDescriptorProto, type IFileDescriptorProto } from 'protobufjs/ext/descriptor';
import { mapEntryName, withLinkedDescriptors } from './reflection-descriptors';

/** The distinct files of a package definition, decoded. */
function filesOf(definition: PackageDefinition): Map<string, IFileDescriptorProto> {
  const files = new Map<string, IFileDescriptorProto>();
  for (const entry of Object.values(definition)) {
    for (const bytes of (entry as { fileDescriptorProtos?: Buffer[] }).fileDescriptorProtos ?? []) {
      const file = FileDescriptorProto.decode(bytes) as IFileDescriptorProto;
      files.set(file.name!, file);
    }
  }
  return files;
}

const message = (file: IFileDescriptorProto | undefined, ...path: string[]): IDescriptorProto => {
  let found = file!.messageType!.find((m) => m.name === path[0])!;
  for (const name of path.slice(1)) found = found.nestedType!.find((m) => m.name === name)!;
  return found;
};
const fieldType = (m: IDescriptorProto, name: string) => m.field!.find((f) => f.name === name)!.typeName;

describe('withLinkedDescriptors', () => {
  it('names protoc-style map entries', () => {
    expect(mapEntryName('fields')).toBe('FieldsEntry');
    expect(mapEntryName('user_data')).toBe('UserDataEntry');
    expect(mapEntryName('a1_b')).toBe('A1BEntry');
  });

  it('makes the session package complete: dependencies declared, names absolute, Struct’s map entry as protoc names it', () => {
    const files = filesOf(withLinkedDescriptors(loadSessionPackage().packageDefinition));
    const session = files.get('session_v1.proto');
    const wkt = files.get('google_protobuf.proto');
    expect(session?.dependency).toEqual(['google_protobuf.proto']);
    expect(wkt?.dependency).toEqual([]);
    expect(fieldType(message(session, 'Session'), 'user_data')).toBe('.google.protobuf.Struct');
    expect(fieldType(message(session, 'Session'), 'created_at')).toBe('.google.protobuf.Timestamp');
    expect(session!.service![0].method!.find((m) => m.name === 'BindUser')).toMatchObject({
      inputType: '.session.v1.BindUserRequest',
      outputType: '.session.v1.BindUserResponse',
    });
    const struct = message(wkt, 'Struct');
    expect(fieldType(struct, 'fields')).toBe('.google.protobuf.Struct.FieldsEntry');
    expect(fieldType(message(wkt, 'Struct', 'FieldsEntry'), 'value')).toBe('.google.protobuf.Value');
    expect(message(wkt, 'Struct', 'FieldsEntry').options?.mapEntry).toBe(true);
  });

  describe('on a proto with nesting, enums, maps and a file without a package', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reflection-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'bare.proto'), 'syntax = "proto3";\nmessage Bare { string s = 1; }\n');
    writeFileSync(
      join(dir, 'outer.proto'),
      `syntax = "proto3";
package a.b;
import "bare.proto";
message Outer {
  message Inner { Kind kind = 1; Outer.Inner self = 2; }
  enum Kind { KIND_UNSPECIFIED = 0; }
  Inner inner = 1;
  map<string, Inner> by_name = 2;
  .Bare bare = 3;
  Top top = 4;
}
enum Top { TOP_UNSPECIFIED = 0; }
service S { rpc Do(Outer) returns (.Bare); }
`,
    );
    const files = filesOf(withLinkedDescriptors(loadSync('outer.proto', { keepCase: true, includeDirs: [dir] })));
    const outer = files.get('a_b.proto');

    it('resolves names from the innermost scope outwards and across files', () => {
      expect(outer?.dependency).toEqual(['root.proto']);
      expect(fieldType(message(outer, 'Outer'), 'inner')).toBe('.a.b.Outer.Inner');
      expect(fieldType(message(outer, 'Outer'), 'top')).toBe('.a.b.Top');
      expect(fieldType(message(outer, 'Outer'), 'bare')).toBe('.Bare');
      expect(fieldType(message(outer, 'Outer', 'Inner'), 'kind')).toBe('.a.b.Outer.Kind');
      expect(fieldType(message(outer, 'Outer', 'Inner'), 'self')).toBe('.a.b.Outer.Inner');
      expect(outer!.service![0].method![0]).toMatchObject({ inputType: '.a.b.Outer', outputType: '.Bare' });
    });

    it('names the map entry after its field and points its value at the right type', () => {
      expect(fieldType(message(outer, 'Outer'), 'by_name')).toBe('.a.b.Outer.ByNameEntry');
      expect(fieldType(message(outer, 'Outer', 'ByNameEntry'), 'value')).toBe('.a.b.Outer.Inner');
    });

    it('leaves a file without a package and without references alone', () => {
      expect(files.get('root.proto')).toMatchObject({ dependency: [] });
      expect(message(files.get('root.proto'), 'Bare').field![0].typeName ?? '').toBe('');
    });
  });
});
