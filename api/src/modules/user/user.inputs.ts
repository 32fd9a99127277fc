import { Field, InputType } from 'type-graphql';
import { IsEmail, IsOptional, Length, MaxLength, ValidateNested } from 'class-validator';
import { LatLngInput } from '../../shared/geo.js';
import { NotBlank } from '../../shared/validation.js';

@InputType({ description: 'What a new account needs.' })
export class SignUpInput {
  @Field({ description: 'Email address, used to log in; unique regardless of case and never shown to others.' })
  @IsEmail({}, { message: 'must be a valid email address' })
  @MaxLength(320)
  email!: string;

  @Field({ description: 'Password, 8 to 200 characters.' })
  @Length(8, 200, { message: 'must be 8 to 200 characters long' })
  password!: string;

  @Field({ description: 'Display name, 1 to 100 characters.' })
  @Length(1, 100, { message: 'must be 1 to 100 characters long' })
  @NotBlank()
  name!: string;

  @Field(() => String, { nullable: true, description: 'Home city.' })
  @IsOptional()
  @MaxLength(100)
  city?: string | null;
}

@InputType({ description: 'Credentials to log in with.' })
export class LogInInput {
  @Field({ description: 'The account\'s email address, in any case.' })
  @MaxLength(320)
  email!: string;

  @Field({ description: 'The account\'s password.' })
  @MaxLength(200)
  password!: string;
}

@InputType({ description: 'Changes to one\'s own profile; omitted fields stay as they are.' })
export class UpdateProfileInput {
  @Field(() => String, { nullable: true, description: 'Display name, 1 to 100 characters.' })
  @IsOptional()
  @Length(1, 100, { message: 'must be 1 to 100 characters long' })
  @NotBlank()
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'A few words about oneself, up to 2,000 characters.' })
  @IsOptional()
  @MaxLength(2000)
  bio?: string | null;

  @Field(() => String, { nullable: true, description: 'Home city, up to 100 characters.' })
  @IsOptional()
  @MaxLength(100)
  city?: string | null;

  @Field(() => LatLngInput, { nullable: true, description: 'Home location, used for "near me"; only you see it.' })
  @IsOptional()
  @ValidateNested()
  location?: LatLngInput | null;
}
