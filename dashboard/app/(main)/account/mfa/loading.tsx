import { TwoCardsSkeleton } from '../../../../components/page-skeleton.tsx';

export default TwoCardsSkeleton;
