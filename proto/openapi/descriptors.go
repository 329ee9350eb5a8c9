package main

import (
	"fmt"
	"sort"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
)

const apiPackage = "rampart.v1"

// api is the descriptor set with its custom options readable. The options' extensions are
// built from the set itself (dynamicpb), not from the generated Go types, so the document
// always follows the .proto files it was made from.
type api struct {
	files     *protoregistry.Files
	httpRoute protoreflect.ExtensionType // (rampart.v1.http) on methods
	jsonField protoreflect.ExtensionType // (rampart.v1.json) on fields
}

func loadAPI(raw []byte) (*api, error) {
	// First pass: the descriptors alone, to find the extensions the options use.
	plain := &descriptorpb.FileDescriptorSet{}
	if err := proto.Unmarshal(raw, plain); err != nil {
		return nil, fmt.Errorf("reading descriptor set: %w", err)
	}
	files, err := protodesc.NewFiles(plain)
	if err != nil {
		return nil, err
	}
	types := &protoregistry.Types{}
	var failure error
	files.RangeFiles(func(file protoreflect.FileDescriptor) bool {
		extensions := file.Extensions()
		for i := 0; i < extensions.Len(); i++ {
			if failure = types.RegisterExtension(dynamicpb.NewExtensionType(extensions.Get(i))); failure != nil {
				return false
			}
		}
		return true
	})
	if failure != nil {
		return nil, failure
	}
	// Second pass: the options decoded with those extensions known.
	resolved := &descriptorpb.FileDescriptorSet{}
	if err := (proto.UnmarshalOptions{Resolver: types}).Unmarshal(raw, resolved); err != nil {
		return nil, err
	}
	if files, err = protodesc.NewFiles(resolved); err != nil {
		return nil, err
	}
	result := &api{files: files}
	if result.httpRoute, err = types.FindExtensionByName(apiPackage + ".http"); err != nil {
		return nil, fmt.Errorf("%s.http: %w", apiPackage, err)
	}
	if result.jsonField, err = types.FindExtensionByName(apiPackage + ".json"); err != nil {
		return nil, fmt.Errorf("%s.json: %w", apiPackage, err)
	}
	return result, nil
}

// apiFiles are the files of the API's package, by path.
func (a *api) apiFiles() []protoreflect.FileDescriptor {
	var found []protoreflect.FileDescriptor
	a.files.RangeFilesByPackage(apiPackage, func(file protoreflect.FileDescriptor) bool {
		found = append(found, file)
		return true
	})
	sort.Slice(found, func(i, j int) bool { return found[i].Path() < found[j].Path() })
	return found
}

// option is the extension `xt` set on `options`, or nil.
func option(options proto.Message, xt protoreflect.ExtensionType) protoreflect.Message {
	if options == nil {
		return nil
	}
	message := options.ProtoReflect()
	if !message.IsValid() || !message.Has(xt.TypeDescriptor()) {
		return nil
	}
	return message.Get(xt.TypeDescriptor()).Message()
}

// route is a method's (http) option: nil when it has none.
func (a *api) route(method protoreflect.MethodDescriptor) protoreflect.Message {
	return option(method.Options(), a.httpRoute)
}

// fieldRules is a field's (json) option: nil when it has none.
func (a *api) fieldRules(field protoreflect.FieldDescriptor) protoreflect.Message {
	return option(field.Options(), a.jsonField)
}

func stringOf(message protoreflect.Message, name protoreflect.Name) string {
	if message == nil {
		return ""
	}
	return message.Get(message.Descriptor().Fields().ByName(name)).String()
}

func boolOf(message protoreflect.Message, name protoreflect.Name) bool {
	if message == nil {
		return false
	}
	return message.Get(message.Descriptor().Fields().ByName(name)).Bool()
}

func stringsOf(message protoreflect.Message, name protoreflect.Name) []string {
	if message == nil {
		return nil
	}
	list := message.Get(message.Descriptor().Fields().ByName(name)).List()
	values := make([]string, list.Len())
	for i := range values {
		values[i] = list.Get(i).String()
	}
	return values
}

// intOf is an optional integer of `message`, or nil when unset.
func intOf(message protoreflect.Message, name protoreflect.Name) any {
	if message == nil {
		return nil
	}
	field := message.Descriptor().Fields().ByName(name)
	if !message.Has(field) {
		return nil
	}
	return message.Get(field).Int()
}

// comment is the leading comment of a declaration, without the comment markers and the
// blank lines around it.
func comment(descriptor protoreflect.Descriptor) string {
	location := descriptor.ParentFile().SourceLocations().ByDescriptor(descriptor)
	return cleanComment(location.LeadingComments)
}

// fileComment is the comment above a file's `syntax` line: what the file is about and the
// conventions it states.
func fileComment(file protoreflect.FileDescriptor) string {
	const syntaxField = 12 // FileDescriptorProto.syntax
	location := file.SourceLocations().ByPath(protoreflect.SourcePath{syntaxField})
	text := location.LeadingComments
	for _, detached := range location.LeadingDetachedComments {
		text = detached + "\n" + text
	}
	return cleanComment(text)
}

func cleanComment(text string) string {
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		lines[i] = strings.TrimRight(strings.TrimPrefix(line, " "), " \t")
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}
