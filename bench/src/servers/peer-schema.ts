/**
 * PostGraphile (the peer) exposes tables and foreign keys, and equality conditions on columns. What Gather filters
 * by range or by search (events that have not ended, discussions without an event, groups by words and place) it
 * gets the idiomatic PostGraphile way: SQL functions (`groups_upcoming_events(g)` becomes `Group.upcomingEvents`,
 * `search_groups(...)` the root `searchGroups`), which PostgreSQL inlines into PostGraphile's one query.
 */
export const PEER_FUNCTIONS = `
create or replace function groups_upcoming_events(g groups) returns setof events language sql stable
  as $$ select * from events where group_id = g.id and ends_at > now() order by starts_at, id $$;
create or replace function groups_past_events(g groups) returns setof events language sql stable
  as $$ select * from events where group_id = g.id and ends_at <= now() order by starts_at desc, id desc $$;
create or replace function groups_discussions(g groups) returns setof threads language sql stable
  as $$ select * from threads where group_id = g.id and event_id is null
        order by coalesce(last_message_at, created_at) desc, id desc $$;
drop function if exists search_groups(text, float8, float8, float8);
create function search_groups(words text, near_lat float8, near_lng float8, radius_km float8) returns setof groups language sql stable
  as $$ select g.* from groups g
        where g.search @@ websearch_to_tsquery('english', words)
          and g.lat between near_lat - degrees(radius_km / 6371.0088) and near_lat + degrees(radius_km / 6371.0088)
          and g.lng between near_lng - degrees(asin(sin(radius_km / 6371.0088) / cos(radians(near_lat))))
                        and near_lng + degrees(asin(sin(radius_km / 6371.0088) / cos(radians(near_lat))))
          and 2 * 6371.0088 * asin(sqrt(power(sin(radians(g.lat - near_lat) / 2), 2)
              + cos(radians(near_lat)) * cos(radians(g.lat)) * power(sin(radians(g.lng - near_lng) / 2), 2))) <= radius_km
        order by ts_rank_cd(g.search, websearch_to_tsquery('english', words)) desc, g.id $$;
`;

/**
 * The event page through PostGraphile's generated schema: the same fields as the contract's EventPage. The viewer
 * is a variable (PostGraphile has no sessions of its own); its session row is read in the same query, as Gather
 * reads it for every request.
 */
export const PEER_EVENT_PAGE = `query PeerEventPage($id: UUID!, $viewerId: UUID!, $tokenHash: String!) {
  sessionByTokenHash(tokenHash: $tokenHash) { userId expiresAt }
  eventById(id: $id) {
    id title description startsAt endsAt status
    capacity guestLimit goingCount waitlistCount onlineUrl attendanceVersion
    venueByVenueId { name address city lat lng }
    groupByGroupId { id slug name timezone visibility viewerMembership: membershipsByGroupId(condition: { userId: $viewerId }) { nodes { id role status } } }
    hosts: eventHostsByEventId(orderBy: [CREATED_AT_ASC, USER_ID_ASC]) { nodes { userByUserId { id name } } }
    viewerRsvp: rsvpsByEventId(condition: { userId: $viewerId }) { nodes { id status guests } }
    attendees: rsvpsByEventId(condition: { status: "GOING" }, first: 20, orderBy: [SEATED_AT_ASC, ID_ASC]) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id guests userByUserId { id name } } }
    }
    threadByEventId { id messageCount }
  }
}`;

/** Explore (words and a place) through PostGraphile: the search_groups function above as a root connection. */
export const PEER_EXPLORE_GROUPS = `query PeerExploreGroups($search: String!, $lat: Float!, $lng: Float!, $radiusKm: Float!, $first: Int, $tokenHash: String!) {
  sessionByTokenHash(tokenHash: $tokenHash) { userId expiresAt }
  searchGroups(words: $search, nearLat: $lat, nearLng: $lng, radiusKm: $radiusKm, first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node { id slug name city memberCount visibility groupTopicsByGroupId(orderBy: POSITION_ASC) { nodes { topicByTopicId { slug name } } } }
    }
  }
}`;

/** The group page through PostGraphile's generated schema, as PEER_EVENT_PAGE. */
export const PEER_GROUP_PAGE = `query PeerGroupPage($slug: String!, $viewerId: UUID!, $tokenHash: String!) {
  sessionByTokenHash(tokenHash: $tokenHash) { userId expiresAt }
  groupBySlug(slug: $slug) {
    id slug name description city timezone visibility joinMode joinQuestion memberCount createdAt lat lng
    groupTopicsByGroupId(orderBy: POSITION_ASC) { nodes { topicByTopicId { slug name } } }
    organizers: membershipsByGroupId(condition: { role: "ORGANIZER", status: "ACTIVE" }, first: 5, orderBy: [CREATED_AT_ASC, ID_ASC]) {
      edges { node { id role userByUserId { id name } } }
    }
    viewerMembership: membershipsByGroupId(condition: { userId: $viewerId }) { nodes { id role status } }
    upcoming: upcomingEvents(first: 10) { totalCount edges { node { id title startsAt goingCount waitlistCount capacity } } }
    past: pastEvents(first: 5) { edges { node { id title startsAt } } }
    threads: discussions(first: 10) { totalCount edges { node { id title messageCount lastMessageAt } } }
  }
}`;

/**
 * A peer query as an anonymous visitor sends it: without the session lookup (Gather reads no session without a
 * token) and without the viewer's own rows (no viewer, nothing to look up: Gather answers null without a query).
 */
export const anonymous = (query: string) =>
  query
    .replace(/^\s*sessionByTokenHash\(tokenHash: \$tokenHash\) \{ userId expiresAt \}\n/m, '')
    .replace(/ viewer\w+: \w+\(condition: \{ userId: \$viewerId \}\) \{ nodes \{ [\w ]+ \} \}/g, '')
    .replace(/, \$viewerId: UUID!/, '')
    .replace(/, \$tokenHash: String!/, '');
