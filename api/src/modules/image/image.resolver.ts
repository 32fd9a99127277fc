import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../server/context.js';
import { Event } from '../event/event.entity.js';
import { Group } from '../group/group.entity.js';
import { ImageSize } from './image.enums.js';
import { imageLoaders } from './image.loaders.js';
import { Picture, variantPath } from './image.type.js';
import type { Read } from '../../db/read.js';

@Resolver(() => Picture)
export class PictureResolver {
  @FieldResolver(() => String, { description: 'Path of one size, relative to this API\'s origin; immutable (content-hashed), so cached for a year.' })
  url(
    @Root() picture: Picture,
    @Arg('size', () => ImageSize, { defaultValue: ImageSize.MEDIUM, description: 'Which stored size.' }) size: ImageSize,
  ): string {
    return variantPath(picture, picture.variants.find((v) => v.size === size) ?? picture.variants[picture.variants.length - 1]);
  }

  @FieldResolver(() => String, { description: 'Every stored size as an HTML `srcset` ("<url> 480w, …"), for responsive <img>.' })
  srcset(@Root() picture: Picture): string {
    const byWidth = new Map(picture.variants.map((v) => [v.width, v])); // a small upload stores equal sizes: list each once
    return [...byWidth.values()].map((v) => `${variantPath(picture, v)} ${v.width}w`).join(', ');
  }
}

@Resolver(() => Group)
export class GroupCoverResolver {
  @FieldResolver(() => Picture, {
    nullable: true,
    description: 'The group\'s cover picture, or null (show its initial instead). Public, like its name, even for a private group.',
  })
  coverImage(@Root() group: Read<Group>, @Ctx() ctx: Context) {
    return ctx.loaders.get(imageLoaders).coverByGroupId.load(group.id);
  }
}

@Resolver(() => Event)
export class EventCoverResolver {
  @FieldResolver(() => Picture, { nullable: true, description: 'The event\'s own cover picture, or null. Seen by whoever sees the event.' })
  coverImage(@Root() event: Read<Event>, @Ctx() ctx: Context) {
    return ctx.loaders.get(imageLoaders).coverByEventId.load(event.id);
  }
}
