import type { PackageDefinition } from '@grpc/proto-loader';
// protobufjs comes with @grpc/proto-loader and @grpc/reflection; its descriptor codec is what both use.
import { FileDescriptorProto, type IDescriptorProto, type IFileDescriptorProto } from 'protobufjs/ext/descriptor';

/**
 * proto-loader builds its file descriptors with protobufjs, and they are not
 * complete enough for grpcurl (Go's protodesc): a file declares no
 * `dependency`, type names are relative ("google.protobuf.Struct" without the
 * leading dot), and a map field's entry type is named "Fields" where protoc
 * names it "FieldsEntry". @grpc/reflection serves them as they are, so
 * `describe` of anything using google.protobuf.Struct fails (grpc-node issues
 * 2958 and 3034). This rewrites the descriptors of a package definition the way
 * protoc would have written them, before they are handed to the reflection service.
 */
export function withLinkedDescriptors(definition: PackageDefinition): PackageDefinition {
  const files = new Map<string, IFileDescriptorProto>();
  for (const entry of Object.values(definition)) {
    for (const bytes of descriptorsOf(entry) ?? []) {
      const file = FileDescriptorProto.decode(bytes) as IFileDescriptorProto;
      if (file.name && !files.has(file.name)) files.set(file.name, file);
    }
  }
  for (const file of files.values()) forEachMessage(file, (message) => nameMapEntries(message));
  const owner = symbolOwners(files);
  for (const file of files.values()) linkFile(file, owner);
  const encoded = [...files.values()].map((file) => FileDescriptorProto.encode(file as never).finish());
  return Object.fromEntries(
    Object.entries(definition).map(([name, entry]) => [name, descriptorsOf(entry) ? { ...entry, fileDescriptorProtos: encoded } : entry]),
  ) as PackageDefinition;
}

/** Message and enum definitions carry the encoded files; service definitions do not. */
function descriptorsOf(entry: PackageDefinition[string]): Buffer[] | undefined {
  const protos = (entry as { fileDescriptorProtos?: unknown }).fileDescriptorProtos;
  return Array.isArray(protos) ? (protos as Buffer[]) : undefined;
}

/** `user_data` -> `UserDataEntry`, protoc's name for a map field's entry type. */
export function mapEntryName(fieldName: string): string {
  return `${fieldName.replace(/(?:^|_)([a-z0-9])/g, (_, c: string) => c.toUpperCase())}Entry`;
}

function nameMapEntries(message: IDescriptorProto): void {
  for (const nested of message.nestedType ?? []) {
    if (!nested.options?.mapEntry) continue;
    const field = message.field?.find((f) => f.typeName === nested.name);
    if (!field?.name) continue;
    nested.name = mapEntryName(field.name);
    field.typeName = nested.name;
  }
}

function forEachMessage(file: IFileDescriptorProto, visit: (message: IDescriptorProto, scope: string) => void): void {
  const walk = (message: IDescriptorProto, scope: string) => {
    visit(message, scope);
    for (const nested of message.nestedType ?? []) walk(nested, `${scope}.${message.name}`);
  };
  for (const message of file.messageType ?? []) walk(message, file.package ?? '');
}

/** Fully qualified name (no leading dot) of every message and enum -> the file that defines it. */
function symbolOwners(files: Map<string, IFileDescriptorProto>): Map<string, string> {
  const owner = new Map<string, string>();
  const join = (scope: string, name?: string | null) => (scope ? `${scope}.${name}` : `${name}`);
  for (const [fileName, file] of files) {
    for (const e of file.enumType ?? []) owner.set(join(file.package ?? '', e.name), fileName);
    forEachMessage(file, (message, scope) => {
      const full = join(scope, message.name);
      owner.set(full, fileName);
      for (const e of message.enumType ?? []) owner.set(join(full, e.name), fileName);
    });
  }
  return owner;
}

/** Protobuf scoping: a relative name is looked up from the innermost scope outwards. */
function resolve(name: string, scope: string, owner: Map<string, string>): string | undefined {
  if (name.startsWith('.')) return owner.has(name.slice(1)) ? name.slice(1) : undefined;
  for (let s = scope; ; s = s.slice(0, Math.max(0, s.lastIndexOf('.')))) {
    const candidate = s ? `${s}.${name}` : name;
    if (owner.has(candidate)) return candidate;
    if (!s) return undefined;
  }
}

function linkFile(file: IFileDescriptorProto, owner: Map<string, string>): void {
  const dependencies = new Set<string>();
  const absolute = (name: string | null | undefined, scope: string): string | null | undefined => {
    if (!name) return name;
    const full = resolve(name, scope, owner);
    if (!full) return name;
    const definedIn = owner.get(full);
    if (definedIn && definedIn !== file.name) dependencies.add(definedIn);
    return `.${full}`;
  };
  forEachMessage(file, (message, scope) => {
    const inner = scope ? `${scope}.${message.name}` : `${message.name}`;
    for (const field of message.field ?? []) field.typeName = absolute(field.typeName, inner) ?? undefined;
  });
  for (const service of file.service ?? []) {
    for (const method of service.method ?? []) {
      method.inputType = absolute(method.inputType, file.package ?? '') ?? undefined;
      method.outputType = absolute(method.outputType, file.package ?? '') ?? undefined;
    }
  }
  file.dependency = [...dependencies].sort();
}
