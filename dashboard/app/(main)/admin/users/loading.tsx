import { CardsAndListSkeleton } from '../../../../components/page-skeleton.tsx';

export default CardsAndListSkeleton;
